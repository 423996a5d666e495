"""Landlock, the unprivileged filesystem allow-list (Linux >= 5.13), through ctypes.

Standard library only: this runs inside the zygote and its children. Nothing happens
at import; ``abi_version()`` probes the kernel and ``restrict()`` confines the calling
process for good (children inherit it; it can never be lifted).

What the rules give (by ABI): v1 file access, v2 cross-directory links (REFER),
v3 truncate, v4 TCP bind/connect, v6 scoping of abstract unix sockets and signals to
processes inside the same domain. Each run gets its own domain, so with v6 a run
cannot signal the zygote, the service or a sibling run.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterable

# The syscall numbers are the same on every architecture (added after the 2019
# unification of syscall tables).
_SYS_CREATE_RULESET = 444
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# Filesystem rights, in ABI order.
EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5

_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1}
_FS_ALL_LATEST = (1 << 16) - 1
_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1

_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
READ_ONLY = EXECUTE | READ_FILE | READ_DIR


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # the kernel struct is packed: 12 bytes
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc: ctypes.CDLL | None = None


def _syscall() -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.syscall.restype = ctypes.c_long
    return _libc.syscall


def abi_version() -> int:
    """The kernel's Landlock ABI, or 0 when Landlock is missing or disabled."""
    try:
        abi = _syscall()(ctypes.c_long(_SYS_CREATE_RULESET), None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(int(abi), 0)


def features(abi: int) -> tuple[str, ...]:
    """What a ruleset at ``abi`` enforces, as sandbox layer names."""
    names = ["landlock"] if abi >= 1 else []
    if abi >= 4:
        names.append("landlock_network")
    if abi >= 6:
        names.append("landlock_signals")
    return tuple(names)


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"landlock {what}: {os.strerror(err)}")
    return result


def restrict(abi: int, read_only: Iterable[str], read_write: Iterable[str], files_rw: Iterable[str] = ()) -> None:
    """Confine this process: ``read_only`` trees readable, ``read_write`` trees writable,
    everything else denied; with ABI >= 4 no TCP bind or connect at all; with ABI >= 6
    no signals or abstract unix sockets outside the domain. Raises OSError on failure,
    so a caller can refuse to run rather than run unconfined."""
    call = _syscall()
    handled = _FS_BY_ABI.get(abi, _FS_ALL_LATEST)
    attr = _RulesetAttr(handled_access_fs=handled)
    size = 8
    if abi >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
        size = 16
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL
        size = 24
    ruleset = _check(
        call(ctypes.c_long(_SYS_CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)), "create_ruleset"
    )
    try:
        rules = [(p, READ_ONLY) for p in read_only] + [(p, handled) for p in read_write]
        rules += [(p, (READ_FILE | WRITE_FILE | TRUNCATE) & handled) for p in files_rw]
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue  # a system directory this machine does not have
            try:
                if not os.path.isdir(path):
                    access &= _FILE_ONLY  # the kernel refuses directory rights on a file
                rule = _PathBeneathAttr(allowed_access=access & handled, parent_fd=fd)
                _check(
                    call(
                        ctypes.c_long(_SYS_ADD_RULE),
                        ctypes.c_int(ruleset),
                        ctypes.c_int(_RULE_PATH_BENEATH),
                        ctypes.byref(rule),
                        ctypes.c_uint32(0),
                    ),
                    f"add_rule {path}",
                )
            finally:
                os.close(fd)
        _check(_syscall_prctl(_PR_SET_NO_NEW_PRIVS, 1), "no_new_privs")
        _check(call(ctypes.c_long(_SYS_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)), "restrict_self")
    finally:
        os.close(ruleset)


def _syscall_prctl(option: int, value: int) -> int:
    assert _libc is not None
    return int(_libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)))
