"""What happens in a freshly forked run: confine it, run the learner's code, report.

Standard library only. Everything here runs in the child after ``fork()`` in the
zygote and ends in ``os._exit``: nothing of the zygote's own shutdown runs twice.
The order matters: the session and descriptors first (so a kill reaches the whole
group and no zygote pipe leaks in), rlimits, then Landlock, then seccomp last (it
would forbid nothing the steps before need, but loading it last keeps its rules
about the learner's code alone).
"""

from __future__ import annotations

import builtins
import fcntl
import io
import json
import linecache
import os
import resource
import sys
import threading
import traceback
import types
from dataclasses import dataclass, field
from typing import Any

from . import calls, landlock, procctl, syscall_filter
from .limits import Limits

FILENAME = "main.py"
"""The learner's code is compiled under this name: tracebacks read ``File "main.py"``."""
REPORT_FD = 3
SETUP_FAILED = 125  # exit status of a child that could not be confined; never run unconfined


@dataclass
class Confinement:
    """The optional layers the zygote found working, prepared once and inherited by fork."""

    seccomp_lib: Any = None
    seccomp_filter: Any = None
    landlock_abi: int = 0
    read_only: tuple[str, ...] = ()
    rw_files: tuple[str, ...] = ("/dev/null",)
    layers: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RunFds:
    stdout: int
    stderr: int
    report: int
    result: int | None = None  # a graded run's call channel (calls.RESULT_FD), written by the harness
    nonce: int | None = None  # and the pipe its nonce comes in by (calls.NONCE_FD)

    def targets(self) -> dict[int, int]:
        """The run's descriptor number -> this process's descriptor that becomes it."""
        wanted = {1: self.stdout, 2: self.stderr, REPORT_FD: self.report}
        if self.result is not None and self.nonce is not None:
            wanted |= {calls.RESULT_FD: self.result, calls.NONCE_FD: self.nonce}
        return wanted


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def report(payload: dict[str, Any]) -> None:
    try:
        _write_all(REPORT_FD, json.dumps(payload).encode())
    except OSError:
        pass  # the learner closed or replaced the pipe: their result loses its details


def enter(workdir: str, fds: RunFds, limits: Limits, confinement: Confinement, zygote_pid: int) -> None:
    """Turn this forked process into a confined run. Raises if a layer cannot be applied."""
    os.setsid()
    procctl.die_with_parent()
    if os.getppid() != zygote_pid:  # the zygote died between fork and prctl
        os._exit(SETUP_FAILED)
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    targets = fds.targets()
    # Out of the way first, so that no dup2 overwrites a pipe still to be placed.
    moved = {target: fcntl.fcntl(fd, fcntl.F_DUPFD, 64) for target, fd in targets.items()}
    for target, fd in moved.items():
        os.dup2(fd, target)
    os.closerange(max(targets) + 1, 1 << 16)  # zygote pipes, the moved copies, anything else inherited
    os.chdir(workdir)
    cpu = max(1, int(limits.cpu_seconds))
    # SIGXCPU at the soft limit; the hard limit one second later is SIGKILL's backstop.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_bytes, limits.file_size_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if confinement.landlock_abi:
        landlock.restrict(confinement.landlock_abi, confinement.read_only, [workdir], confinement.rw_files)
    if confinement.seccomp_filter is not None:
        syscall_filter.confine(confinement.seccomp_lib, confinement.seccomp_filter, os.getpid())


def _learner_line(exc: BaseException) -> int | None:
    if isinstance(exc, SyntaxError) and exc.filename == FILENAME:
        return exc.lineno
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == FILENAME:
            line = lineno  # the deepest frame of the learner's own code
    return line


def _message(exc: BaseException) -> str:
    """Python's message as the learner reads it under the traceback.

    For a SyntaxError, its ``msg`` alone (``str()`` appends "(main.py, line N)").
    Otherwise the traceback's wording, which from Python 3.12 adds to NameError and
    AttributeError the "Did you mean: 'upper'?" that tells a slip of the keyboard from
    a misunderstanding (3.11's traceback module has none; its hints came from the C
    printer, which the child does not use). The traceback is passed for NameError's
    hint, which looks at the failing frame's names; ``limit=0`` skips the stack itself.
    """
    if isinstance(exc, SyntaxError) and exc.msg:
        return exc.msg
    try:
        summary = traceback.TracebackException(type(exc), exc, exc.__traceback__, limit=0, lookup_lines=False)
        head = next(summary.format_exception_only()).rstrip("\n")
    except Exception:
        return str(exc)
    # "TypeName: message", or "TypeName" alone when the message is empty.
    return head.partition(": ")[2]


def _exit_status(code: object) -> int:
    """What CPython's own exit does with ``SystemExit.code``."""
    if code is None:
        return 0
    if isinstance(code, int) and not isinstance(code, bool):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _fresh_streams() -> None:
    # The zygote's sys.stdout wraps fd 1, which was its pipe to the service: build new
    # objects over the run's descriptors, as a fresh interpreter would have them.
    # __stdin__ and friends are Final in typeshed; the learner's program must still see fresh ones.
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")  # type: ignore[misc]
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(  # type: ignore[misc]
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8", errors="backslashreplace"
    )
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(  # type: ignore[misc]
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )


def run_learner(source: str, sys_path: list[str], harness: calls.Harness | None = None) -> int:
    """Run the code as ``python main.py`` would; report an uncaught exception; the exit status.

    A graded run's ``harness`` then calls the program's functions, if it finished
    without an error (as ``python -i`` would let one do), after its output is flushed.
    """
    _fresh_streams()
    sys.argv = [FILENAME]
    sys.path[:] = sys_path
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    main = types.ModuleType("__main__")
    main.__dict__.update({"__builtins__": builtins, "__file__": FILENAME})
    sys.modules["__main__"] = main
    namespace = main.__dict__  # held here: the program may replace sys.modules["__main__"]
    status = 0
    try:
        exec(compile(source, FILENAME, "exec"), main.__dict__)
        _join_threads()
    except SystemExit as exc:
        status = _exit_status(exc.code)
    except BaseException as exc:
        status = 1
        report(
            {
                "type": type(exc).__name__,
                "message": _message(exc),
                "line": _learner_line(exc),
                "errno": exc.errno if isinstance(exc, OSError) else None,
            }
        )
        # Skip this function's own frame: the learner sees only their code.
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next if exc.__traceback__ else None)
    _flush()
    if harness is not None and status == 0:
        harness.run(namespace)
        _flush()
    return status


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass


def _join_threads() -> None:
    """Wait for non-daemon threads, as interpreter shutdown does."""
    current = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not current and not thread.daemon:
            thread.join()
