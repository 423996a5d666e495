"""Child processes we start and must always stop: spawn, wait for a port, stop by PID."""

from __future__ import annotations

import collections
import os
import random
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Self

# Ports are picked below Linux's ephemeral range (32768-60999 by default), where no client's
# source port lands: a port the kernel hands out for bind(0) can be taken by an outgoing
# connection in the moment between our check and the server's own bind.
_PICK_FROM, _PICK_TO = 20000, 30000
# Ports handed out but perhaps not bound yet, so that two picks in a row never collide.
_handed_out: collections.deque[int] = collections.deque(maxlen=512)
_pick_lock = threading.Lock()


def free_port(host: str = "127.0.0.1") -> int:
    """A port a server can listen on now, and that this process has not handed out lately."""
    return free_port_block(1, host)


def bindable(host: str, port: int) -> bool:
    """Whether a server could listen on ``port`` now (a client's source port is not, though nothing listens)."""
    with socket.socket() as s:
        # As servers bind: a port held only by connections in TIME_WAIT is usable.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
            return True
        except OSError:
            return False


def free_port_block(n: int, host: str = "127.0.0.1", tries: int = 200) -> int:
    """A first port whose next ``n - 1`` ports are free too (for servers on consecutive ports)."""
    with _pick_lock:
        for _ in range(tries):
            base = random.randint(_PICK_FROM, _PICK_TO - n)
            ports = range(base, base + n)
            if not any(p in _handed_out for p in ports) and all(bindable(host, p) for p in ports):
                _handed_out.extend(ports)
                return base
    raise RuntimeError(f"no {n} consecutive free ports found")


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        socket.create_connection((host, port), timeout).close()
        return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, timeout: float, alive: Callable[[], bool], what: str) -> None:
    """Poll until ``host:port`` accepts connections; raise if the process died or time ran out."""
    deadline = time.monotonic() + timeout
    while not port_open(host, port):
        if not alive():
            raise RuntimeError(f"{what} exited before listening on {host}:{port}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not listen on {host}:{port} within {timeout:.0f} s")
        time.sleep(0.02)


def spawn(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a child in its own process group, so stopping it also stops its children."""
    out: IO[bytes] | int = subprocess.DEVNULL
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        out = open(log_path, "ab")
    try:
        return subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        if not isinstance(out, int):
            out.close()


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, grace: float = 5.0) -> int | None:
    """Signal the child's process group, wait ``grace`` seconds, then kill the group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers in the group, if any
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.wait(5)
    return proc.returncode


class ChildProcess:
    """What every managed child shares: its PID, whether it runs, and ``with`` support.

    Subclasses set ``self._proc`` in ``start()`` and clear it in ``stop()``.
    """

    _proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> object:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


class ServerProcess(ChildProcess):
    """A child that serves HTTP on ``HOST:port``: ``start`` returns once the port accepts.

    Subclasses give ``argv()``, ``port``, ``env`` and ``log_path``; ``label`` names the
    server in a start-up failure, ``stop_signal`` asks it to stop, and ``grace`` is how long
    that may take before SIGKILL.
    """

    HOST = "127.0.0.1"
    label = "a server"
    stop_signal = signal.SIGTERM
    grace = 5.0
    start_timeout = 30.0
    port: int
    env: dict[str, str]
    log_path: Path | None

    @property
    def url(self) -> str:
        return f"http://{self.HOST}:{self.port}/"

    def argv(self) -> list[str]:
        raise NotImplementedError

    def spawn(self) -> None:
        """Launch the process without waiting for it to listen (see ``start``)."""
        if self.running():
            return
        self._proc = spawn(self.argv(), env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}, log_path=self.log_path)

    def start(self, timeout: float | None = None) -> Self:
        """Launch (unless ``spawn`` already did) and wait until the port accepts connections."""
        self.spawn()
        try:
            wait_for_port(self.HOST, self.port, timeout or self.start_timeout, self.running, self.label)
        except (RuntimeError, TimeoutError):
            self.stop()
            raise
        return self

    def stop(self) -> int | None:
        if self._proc is None:
            return None
        code = stop(self._proc, self.stop_signal, grace=self.grace)
        self._proc = None
        return code
