"""The zygote: a small warm Python that forks one confined child per run.

Standard library only, and started by ``sandbox.py`` as ``python -I -S`` with an empty
environment, so nothing worth stealing is ever in its memory (children inherit it).
It speaks JSON lines on stdin/stdout: a hello with the detected layers, then one reply
per job. It exits when its stdin closes, i.e. when the service is gone.

Per job: a fresh work dir, three pipes (stdout, stderr, the child's error report), a
fork, then supervision here: output read up to the cap, the wall deadline enforced,
the whole process group killed at the end (a straggler thread or, without seccomp, a
child), the exit status and CPU time collected, the work dir removed.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from typing import Any

from . import calls, child, landlock, layers, procctl, syscall_filter
from .limits import Limits
from .outcome import RunOutcome

WARM_MODULES = (
    "math",
    "random",
    "collections",
    "itertools",
    "functools",
    "re",
    "string",
    "json",
    "datetime",
    "dataclasses",
    "typing",
    "statistics",
    "fractions",
    "decimal",
    "copy",
    "heapq",
    "bisect",
    "operator",
    "enum",
    "textwrap",
    "traceback",
    "linecache",
    "threading",
)
"""Imported once here, so a learner's ``import math`` costs nothing after fork."""

_READ_CHUNK = 65536


def _system_read_only(sys_path: list[str]) -> tuple[str, ...]:
    """What a run may read: the interpreter's own tree and the system libraries."""
    trees = {"/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/dev/urandom", "/dev/zero"}
    trees.update(p for p in sys_path if p and os.path.exists(p))
    trees.add(os.path.dirname(os.path.realpath(sys.executable)))
    return tuple(sorted(trees))


def _confine_and_probe(confinement: child.Confinement, workdir: str) -> int:
    """In a throw-away child: apply every layer, then check that each one bites.

    Returns a bit mask: 1 seccomp stopped an inet socket, 2 Landlock stopped a read
    outside the allow-list.
    """
    import socket

    bits = 0
    if confinement.seccomp_filter is not None:
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        except PermissionError:
            bits |= 1
    if confinement.landlock_abi:
        try:
            with open("/proc/self/status", "rb"):
                pass
        except PermissionError:
            bits |= 2
    return bits


class Zygote:
    def __init__(self, config: dict[str, Any], sys_path: list[str]) -> None:
        self.sys_path = sys_path  # the -I -S path a run gets back (the service's extras removed)
        self.tmp_root = config.get("tmp_root") or tempfile.gettempdir()
        self.pid = os.getpid()
        self.confinement = child.Confinement()

    def detect(self, want_seccomp: bool = True, want_landlock: bool = True) -> tuple[str, ...]:
        """Prepare the optional layers, then keep those a probe child proves effective."""
        lib = syscall_filter.load_library() if want_seccomp else None
        if lib is not None:
            try:
                self.confinement.seccomp_lib = lib
                self.confinement.seccomp_filter = syscall_filter.build(lib)
            except Exception as exc:
                _log(f"seccomp unavailable: {type(exc).__name__}: {exc}")
                self.confinement.seccomp_filter = None
        abi = landlock.abi_version() if want_landlock else 0
        self.confinement.landlock_abi = abi
        self.confinement.read_only = _system_read_only(self.sys_path)
        bits = self._probe()
        if not bits & 1:
            self.confinement.seccomp_filter = None
        if not bits & 2:
            self.confinement.landlock_abi = 0
        found = list(layers.BASELINE)
        if self.confinement.seccomp_filter is not None:
            found.append(layers.SECCOMP)
        found.extend(landlock.features(self.confinement.landlock_abi))
        self.confinement.layers = tuple(found)
        return self.confinement.layers

    def _probe(self) -> int:
        workdir = tempfile.mkdtemp(prefix="lf-probe-", dir=self.tmp_root)
        out_r, out_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            bits = 0
            try:
                child.enter(workdir, child.RunFds(out_w, out_w, out_w), Limits(), self.confinement, self.pid)
                bits = _confine_and_probe(self.confinement, workdir)
            except BaseException as exc:
                os.write(2, f"sandbox probe failed: {type(exc).__name__}: {exc}\n".encode())
            finally:
                os._exit(bits)
        os.close(out_w)
        _, status = os.waitpid(pid, 0)
        os.close(out_r)
        shutil.rmtree(workdir, ignore_errors=True)
        return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 0

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        limits = Limits.from_wire(job["limits"])
        workdir = tempfile.mkdtemp(prefix="lf-run-", dir=self.tmp_root)
        try:
            return self._run_in(workdir, job["code"], limits, job.get("calls") or [])
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _run_in(self, workdir: str, code: str, limits: Limits, graded: list[dict[str, str]]) -> dict[str, Any]:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        rep_r, rep_w = os.pipe()
        res_r, res_w = os.pipe() if graded else (-1, -1)
        nonce_r, nonce_w = os.pipe() if graded else (-1, -1)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the run
            status = child.SETUP_FAILED
            try:
                # Prepared before any learner code: it captures what it will use.
                harness = calls.Harness(graded) if graded else None
                fds = child.RunFds(out_w, err_w, rep_w, *((res_w, nonce_r) if graded else ()))
                child.enter(workdir, fds, limits, self.confinement, self.pid)
                if harness is not None:
                    harness.arm()
            except BaseException as exc:
                child.report({"setup_failed": f"{type(exc).__name__}: {exc}"})
                os._exit(child.SETUP_FAILED)
            try:
                status = child.run_learner(code, self.sys_path, harness)
            finally:
                os._exit(status)
        nonce = ""
        if graded:
            # Made after the fork, so it is in no memory the run inherited; the harness reads
            # it, and closes its pipe, before the program starts.
            nonce = os.urandom(16).hex()
            os.write(nonce_w, nonce.encode())
            for fd in (nonce_w, nonce_r, res_w):
                os.close(fd)
        for fd in (out_w, err_w, rep_w):
            os.close(fd)
        try:
            reply = self._supervise(pid, started, limits, out_r, err_r, rep_r, res_r if graded else None)
            if graded and "outcome" in reply:
                channel = reply.pop("channel")
                outcomes, tampered = calls.read_results(channel, nonce, len(graded))
                reply["outcome"]["calls"] = [o.to_wire() for o in outcomes]
                reply["outcome"]["calls_tampered"] = tampered
            reply.pop("channel", None)
            return reply
        finally:
            for fd in (out_r, err_r, rep_r, *((res_r,) if graded else ())):
                os.close(fd)

    def _supervise(
        self, pid: int, started: float, limits: Limits, out_r: int, err_r: int, rep_r: int, res_r: int | None
    ) -> dict[str, Any]:
        deadline = started + limits.wall_seconds
        cap = limits.output_bytes
        streams = {out_r: bytearray(), err_r: bytearray()}
        truncated = {out_r: False, err_r: False}
        open_fds = {out_r, err_r}
        channel = bytearray()
        if res_r is not None:
            open_fds.add(res_r)
        pidfd = os.pidfd_open(pid)
        timed_out = output_exceeded = exited = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = not exited
                    break
                ready, _, _ = select.select([*open_fds, pidfd], [], [], remaining)
                for fd in ready:
                    if fd == pidfd:
                        exited = True
                        continue
                    chunk = os.read(fd, _READ_CHUNK)
                    if not chunk:
                        open_fds.discard(fd)
                        continue
                    if fd == res_r:
                        # Kept whole up to just past the cap, so read_results sees it was passed.
                        channel += chunk[: max(calls.CHANNEL_CAP + 1 - len(channel), 0)]
                        continue
                    buf = streams[fd]
                    room = cap - len(buf)
                    if len(chunk) > room:
                        buf += chunk[: max(room, 0)]
                        truncated[fd] = True
                        output_exceeded = True
                    else:
                        buf += chunk
                if output_exceeded:
                    break
                # Done when the child is gone and its pipes are drained. A pipe that a
                # straggler still holds open must not keep us waiting: once the child
                # has exited, one more pass reads what is buffered, then we stop.
                if exited and (not open_fds or not select.select(list(open_fds), [], [], 0)[0]):
                    break
            _killpg(pid)  # the group dies with its leader: threads, and any child it made
        finally:
            os.close(pidfd)
        _, status, usage = os.wait4(pid, 0)
        exit_code = os.waitstatus_to_exitcode(status)
        duration_ms = (time.monotonic() - started) * 1000
        report = _read_report(rep_r)
        if isinstance(report, dict) and "setup_failed" in report and exit_code == child.SETUP_FAILED:
            return {"failure": f"could not confine the run: {report['setup_failed']}"}
        if exit_code == child.SETUP_FAILED and report is None and not timed_out:
            return {"failure": "could not confine the run (the zygote may be dying)"}
        outcome = RunOutcome(
            exit_code=exit_code,
            timed_out=timed_out,
            output_exceeded=output_exceeded,
            stdout=bytes(streams[out_r]).decode("utf-8", "replace"),
            stderr=bytes(streams[err_r]).decode("utf-8", "replace"),
            stdout_truncated=truncated[out_r],
            stderr_truncated=truncated[err_r],
            duration_ms=round(duration_ms, 3),
            cpu_ms=round((usage.ru_utime + usage.ru_stime) * 1000, 3),
            error=None,
            layers=self.confinement.layers,
        )
        wire = outcome.to_wire()
        wire["error"] = report if isinstance(report, dict) else None
        return {"outcome": wire, "channel": bytes(channel)}


def _killpg(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read_report(fd: int) -> Any:
    os.set_blocking(fd, False)
    data = bytearray()
    try:
        while len(data) < 1 << 20:
            chunk = os.read(fd, _READ_CHUNK)
            if not chunk:
                break
            data += chunk
    except BlockingIOError:
        pass  # a straggler holds the pipe open; what the child wrote is already here
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def _log(message: str) -> None:
    os.write(2, f"code-execution zygote[{os.getpid()}]: {message}\n".encode())


def _send(payload: dict[str, Any]) -> None:
    data = (json.dumps(payload) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(1, view) :]


def serve(config: dict[str, Any], sys_path: list[str]) -> None:
    """The zygote's main loop; returns when the service closes our stdin."""
    os.environ.clear()  # started with env={}; make sure nothing crept in
    procctl.set_not_dumpable()
    for name in WARM_MODULES:
        __import__(name)
    zygote = Zygote(config, sys_path)
    found = zygote.detect(config.get("seccomp", True), config.get("landlock", True))
    _send({"hello": {"pid": zygote.pid, "layers": list(found), "landlock_abi": zygote.confinement.landlock_abi}})
    stdin = os.fdopen(0, "rb", buffering=0)
    buffer = b""
    while True:
        chunk = stdin.read(_READ_CHUNK)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            try:
                reply = zygote.run(json.loads(line))
            except Exception as exc:
                reply = {"failure": f"zygote error: {type(exc).__name__}: {exc}"}
            _send(reply)


if __name__ == "__main__":  # pragma: no cover - started through sandbox.py's bootstrap
    serve(json.loads(sys.argv[1]), list(sys.path))
