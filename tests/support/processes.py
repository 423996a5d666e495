"""Reading a command-line process the way a person watching its terminal would."""

from __future__ import annotations

import subprocess


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
