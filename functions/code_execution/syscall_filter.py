"""The seccomp-bpf filter a run is confined by (libseccomp via ``pyseccomp`` or Debian's
``python3-seccomp``). Standard library otherwise; nothing happens at import.

A deny-list on top of "allow": an allow-list would be stricter, but it breaks with
every CPython and glibc release (notes/sandbox.md §7). What it takes away:

- sockets of any family but AF_UNIX (no network, loopback included: the queue-proxy
  and any sidecar listen there);
- new processes: fork, vfork, clone without CLONE_THREAD (threads still work), and
  clone3 answers ENOSYS so glibc falls back to clone, where the flags can be checked;
- exec, ptrace and cross-process memory access, namespaces, mounts, bpf, keyrings,
  perf, userfaultfd, io_uring (it would bypass this filter), kernel modules;
- signals outside its own process group: ``kill`` only to pid 0 (its group, which
  holds nothing but itself since it cannot fork), ``tgkill`` only to itself.

Syscalls of a foreign architecture (int 0x80 on x86_64) kill the process: that is
libseccomp's default for a bad architecture.
"""

from __future__ import annotations

import errno
import importlib
import socket
from types import ModuleType
from typing import Any

_CLONE_THREAD = 0x00010000

DENIED = (
    "fork",
    "vfork",
    "execve",
    "execveat",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsmount",
    "fspick",
    "mount_setattr",
    "bpf",
    "keyctl",
    "add_key",
    "request_key",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "pidfd_open",
    "pidfd_getfd",
    "pidfd_send_signal",
    "tkill",
    "mknod",
    "mknodat",
    "swapon",
    "swapoff",
    "reboot",
    "acct",
    "syslog",
)
"""Syscalls a run may never make, whatever the arguments."""


def load_library() -> ModuleType | None:
    """The libseccomp binding, or None: PyPI's ``pyseccomp``, else Debian's ``seccomp``."""
    for name in ("pyseccomp", "seccomp"):
        try:
            return importlib.import_module(name)
        except (ImportError, RuntimeError, OSError):  # pyseccomp raises RuntimeError without libseccomp.so
            continue
    return None


def build(lib: ModuleType) -> Any:
    """The filter every run shares, built once in the zygote; ``confine`` finishes it per run."""
    deny = lib.ERRNO(errno.EPERM)
    f = lib.SyscallFilter(defaction=lib.ALLOW)
    f.add_rule(deny, "socket", lib.Arg(0, lib.NE, socket.AF_UNIX))
    f.add_rule(deny, "socketpair", lib.Arg(0, lib.NE, socket.AF_UNIX))
    f.add_rule(deny, "clone", lib.Arg(0, lib.MASKED_EQ, _CLONE_THREAD, 0))
    f.add_rule(lib.ERRNO(errno.ENOSYS), "clone3")
    f.add_rule(deny, "kill", lib.Arg(0, lib.NE, 0))
    for name in DENIED:
        try:
            f.add_rule(deny, name)
        except (OSError, ValueError, RuntimeError):
            continue  # a syscall this architecture does not have (e.g. fork on arm64)
    return f


def confine(lib: ModuleType, shared: Any, pid: int) -> None:
    """Add the rules that name this process, then load the filter (irreversibly).

    Called in the child after fork: the rule additions touch only the child's copy
    of the filter. libseccomp sets NO_NEW_PRIVS itself, so no privilege is needed.
    """
    deny = lib.ERRNO(errno.EPERM)
    shared.add_rule(deny, "tgkill", lib.Arg(0, lib.NE, pid))
    shared.add_rule(deny, "rt_tgsigqueueinfo", lib.Arg(0, lib.NE, pid))
    shared.add_rule(deny, "rt_sigqueueinfo", lib.Arg(0, lib.NE, pid))
    shared.load()
