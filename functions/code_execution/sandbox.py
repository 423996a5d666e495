"""The service's handle on the sandbox: a pool of zygotes, one run in flight per zygote.

No HTTP, no Kafka, no pydantic: ``Sandbox(...).start()`` spawns the zygotes (nothing
happens at import), ``run(code)`` returns the raw ``RunOutcome``, ``close()`` stops
them. Each zygote is a fresh ``python -I -S`` with an empty environment, so it holds
no secret however late it is started; starting it before any Kafka client exists
keeps even the file descriptors of the service out of its reach.

    SandboxError             (a LearnflowError wherever the library is installed)
    ├── SandboxUnavailable   below SANDBOX_MIN_LEVEL: refuse to run (5xx, loudly)
    └── SandboxFailure       a zygote died, hung or could not confine a run (5xx, retried)
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from . import procctl
from .layers import Level, level_of
from .limits import Limits
from .outcome import RunOutcome

try:
    from learnflow.events import LearnflowError
except ImportError:
    # The security tests run this module as the service does, but alone: staged for an
    # unprivileged user, on the standard library only. There the sandbox's errors root in
    # Exception; in every installed process they root in the library's tree.
    LearnflowError = Exception  # type: ignore[misc,assignment]

log = logging.getLogger(__name__)

_REPO_ROOT = str(Path(__file__).resolve().parents[2])  # holds the ``functions`` package
_BOOTSTRAP = (
    "import sys, json\n"
    "cfg = json.loads(sys.argv[1])\n"
    "base = list(sys.path)\n"
    "sys.path[:0] = cfg['paths']\n"
    "from functions.code_execution.zygote import serve\n"
    "serve(cfg, base)\n"
)
_STARTUP_TIMEOUT_S = 30.0
_REPLY_MARGIN_S = 10.0  # beyond the wall limit: the zygote's own bookkeeping, a loaded machine


class SandboxError(LearnflowError):
    """Root of the sandbox's failures; none of them is the learner's fault."""


class SandboxUnavailable(SandboxError):
    """The isolation reached is below the configured minimum: no code may run."""


class SandboxFailure(SandboxError):
    """The sandbox machinery failed for one run; retrying it is safe."""


def _binding_paths() -> list[str]:
    """Where the zygote finds the libseccomp binding (it runs with -I -S: no site)."""
    paths = []
    for name in ("pyseccomp", "seccomp"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.origin:
            paths.append(str(Path(spec.origin).parent))
    return paths


class _Zygote:
    """One zygote process and its line protocol."""

    def __init__(self, python: str, config: dict[str, Any]) -> None:
        self.proc = subprocess.Popen(
            [python, "-I", "-S", "-c", _BOOTSTRAP, json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # its rare complaints go to the service's log
            env={},
            cwd="/",
            close_fds=True,
            start_new_session=True,  # the service's signals (Ctrl-C in a terminal) are not its
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in = self.proc.stdin.fileno()
        self._out = self.proc.stdout.fileno()
        self._buffer = b""
        try:
            self.hello: dict[str, Any] = self._read(time.monotonic() + _STARTUP_TIMEOUT_S)["hello"]
        except BaseException:
            self.proc.kill()  # never leave a half-started zygote behind
            self.proc.wait(5)
            raise

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(self.hello["layers"])

    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        data = (json.dumps(job) + "\n").encode()
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._in, view) :]
        except OSError as exc:
            raise SandboxFailure(f"zygote {self.proc.pid} is gone: {exc}") from exc
        return self._read(time.monotonic() + timeout)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SandboxFailure(f"zygote {self.proc.pid} did not answer in time")
            ready, _, _ = select.select([self._out], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._out, 1 << 16)
            if not chunk:
                raise SandboxFailure(f"zygote {self.proc.pid} exited (status {self.proc.poll()})")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self.proc.poll() is None:
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()  # type: ignore[union-attr]
                except OSError:
                    pass
            try:
                self.proc.wait(2)  # stdin closed: it returns from serve()
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        else:
            self.proc.wait()


class Sandbox:
    """A pool of ``size`` zygotes: ``size`` runs in flight, the rest wait their turn."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        size: int = 1,
        min_level: Level = Level.L0,
        python: str | None = None,
        tmp_root: str | None = None,
        seccomp: bool = True,
        landlock: bool = True,
        protect_service: bool = True,
    ) -> None:
        self.limits = limits or Limits()
        self.size = max(1, size)
        self.min_level = min_level
        self.python = python or sys.executable
        self._config = {
            "paths": [_REPO_ROOT, *_binding_paths()],
            "tmp_root": tmp_root,
            "seccomp": seccomp,
            "landlock": landlock,
        }
        self._protect_service = protect_service
        self._idle: queue.Queue[_Zygote] = queue.Queue()
        self._all: list[_Zygote] = []
        self._lock = threading.Lock()
        self.layers: tuple[str, ...] = ()
        self.started = False

    @property
    def level(self) -> Level:
        return level_of(self.layers)

    def start(self) -> Sandbox:
        """Spawn the zygotes and learn which layers work here. Idempotent."""
        if self.started:
            return self
        if self._protect_service:
            # A run that escaped every other layer and shares our uid still must not
            # read this process's environment (/proc/<pid>/environ) or memory.
            procctl.set_not_dumpable()
        for _ in range(self.size):
            self._add(_Zygote(self.python, self._config))
        self.layers = self._all[0].layers
        self.started = True
        if self.level < self.min_level:
            log.critical(
                "SANDBOX BELOW MINIMUM: level %s (%s) < SANDBOX_MIN_LEVEL %s; every submission will be refused",
                self.level.name,
                ", ".join(self.layers),
                self.min_level.name,
            )
        elif self.level < Level.L2:
            log.warning(
                "sandbox running at %s only (layers: %s); set SANDBOX_MIN_LEVEL=L2 where learners are untrusted",
                self.level.name,
                ", ".join(self.layers),
            )
        else:
            log.info("sandbox at %s with %d zygote(s): %s", self.level.name, self.size, ", ".join(self.layers))
        return self

    def _add(self, zygote: _Zygote) -> None:
        with self._lock:
            self._all.append(zygote)
        self._idle.put(zygote)

    def _replace(self, broken: _Zygote) -> None:
        broken.stop()
        with self._lock:
            self._all.remove(broken)
        try:
            self._add(_Zygote(self.python, self._config))
        except (SandboxFailure, OSError) as exc:
            log.error("could not restart a zygote: %s", exc)

    def check_level(self) -> None:
        """Raise SandboxUnavailable when the isolation reached is below the minimum."""
        if self.level < self.min_level:
            raise SandboxUnavailable(
                f"sandbox level {self.level.name} ({', '.join(self.layers)}) is below "
                f"SANDBOX_MIN_LEVEL={self.min_level.name}; refusing to run learner code"
            )

    def run(self, code: str, limits: Limits | None = None, calls: list[dict[str, str]] | None = None) -> RunOutcome:
        """Run ``code`` in a fresh confined child of an idle zygote.

        ``calls`` (``{"call": name, "args": JSON text}``, never an expected value): after the
        program, call these functions of it and report what they returned (calls.py).
        """
        if not self.started:
            raise SandboxFailure("the sandbox is not started: call Sandbox.start() first")
        self.check_level()
        limits = limits or self.limits
        zygote = self._idle.get()
        try:
            job = {"code": code, "limits": limits.to_wire(), **({"calls": calls} if calls else {})}
            reply = zygote.call(job, limits.wall_seconds + _REPLY_MARGIN_S)
        except SandboxFailure:
            self._replace(zygote)
            raise
        except BaseException:
            self._replace(zygote)  # a half-read reply would poison the next run
            raise
        self._idle.put(zygote)
        if "failure" in reply:
            raise SandboxFailure(reply["failure"])
        return RunOutcome.from_wire(reply["outcome"])

    def zygote_pids(self) -> list[int]:
        with self._lock:
            return [z.proc.pid for z in self._all]

    def close(self) -> None:
        with self._lock:
            zygotes, self._all = list(self._all), []
        for zygote in zygotes:
            zygote.stop()
        self.started = False

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
