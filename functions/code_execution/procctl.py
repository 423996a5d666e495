"""The few prctl(2) calls the sandbox needs, through ctypes. Standard library only."""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4

_libc: ctypes.CDLL | None = None


def _prctl(option: int, value: int) -> int:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    result = int(
        _libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    )
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def set_not_dumpable() -> None:
    """Make /proc/<this pid>/environ, mem and friends unreadable by other processes of
    the same uid (they become root-owned). Unprivileged; the cure for the same-uid
    environ leak measured in notes/sandbox.md §2.3."""
    _prctl(_PR_SET_DUMPABLE, 0)


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Receive ``sig`` when the parent exits (a run must not outlive its zygote)."""
    _prctl(_PR_SET_PDEATHSIG, sig)
