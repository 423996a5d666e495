"""Child processes in tests: reading one as a person watching its terminal would, starting one loudly."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path
from typing import Protocol

import psutil


def read_until(proc: subprocess.Popen[str], marker: str, what: str) -> str:
    """The process's output up to and including the line holding ``marker``.

    Fails the test, with what was printed, if the output ends first (``what`` names the
    command in that message).
    """
    assert proc.stdout is not None
    output = ""
    while marker not in output:
        line = proc.stdout.readline()
        assert line, f"{what} ended before it was up:\n{output}"
        output += line
    return output


def kill_tree(proc: subprocess.Popen[str]) -> None:
    """After a failure: SIGKILL ``proc`` and every process below it, by PID.

    Our commands start their children in sessions of their own, so killing the command
    or its process group alone would orphan them (an embedded broker left listening).
    """
    try:
        below = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        below = []
    for child in below:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    psutil.wait_procs(below, timeout=10)


class Startable(Protocol):
    def start(self) -> object: ...


def start_or_show_log(server: Startable, log: Path) -> None:
    """Start ``server``; if it fails, print its log first, so the failure says why."""
    try:
        server.start()
    except Exception:
        print(log.read_text() if log.exists() else "(no log)")
        raise
