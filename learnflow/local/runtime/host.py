"""What a function's environment asks of this machine, checked before the function starts.

A value that holds on a cluster node may not hold on a laptop. Rather than let the
function run weaker, or start and refuse every event, ``learnflow up`` stops and names
the variable and the override. One variable asks anything of the machine today:
``SANDBOX_MIN_LEVEL`` (knative/code-execution*.yaml demand L2), whose levels
functions/code_execution/layers.py defines: L0 process limits, L1 adds seccomp
(libseccomp through pyseccomp, or Debian's seccomp), L2 adds Landlock.

The probe asks the kernel and the libraries what they offer; the sandbox itself then
proves each layer in a throw-away child. If a layer is offered but does not bite, the
function still fails closed as in the cluster: it logs CRITICAL and answers 503.
"""

from __future__ import annotations

import ctypes
import importlib
from collections.abc import Callable, Mapping

_PR_GET_SECCOMP = 21
_SYS_LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
_LANDLOCK_CREATE_RULESET_VERSION = 1 << 0


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _seccomp_offered() -> bool:
    try:
        if _libc().prctl(_PR_GET_SECCOMP, 0, 0, 0, 0) < 0:
            return False  # a kernel without CONFIG_SECCOMP_FILTER
    except (OSError, AttributeError):
        return False
    for binding in ("pyseccomp", "seccomp"):
        try:
            importlib.import_module(binding)
        except (ImportError, RuntimeError, OSError):  # pyseccomp raises RuntimeError without libseccomp.so
            continue
        return True
    return False


def _landlock_abi() -> int:
    try:
        syscall = _libc().syscall
        syscall.restype = ctypes.c_long
        abi = syscall(
            ctypes.c_long(_SYS_LANDLOCK_CREATE_RULESET),
            None,
            ctypes.c_size_t(0),
            ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION),
        )
    except (OSError, AttributeError):
        return 0
    return max(int(abi), 0)


def sandbox_level_here() -> int:
    """The highest sandbox level this machine offers: 0, 1 (seccomp) or 2 (seccomp and Landlock)."""
    if not _seccomp_offered():
        return 0
    return 2 if _landlock_abi() >= 1 else 1


_MISSING = {1: "no seccomp: the kernel or libseccomp lacks it", 2: "no Landlock, which needs Linux 5.13 or later with the LSM on"}


def _level(text: str) -> int | None:
    raw = text.strip().upper().removeprefix("L")
    return int(raw) if raw.isdigit() else None  # anything else: the function refuses it with its own message


def host_problems(service: str, env: Mapping[str, str], sandbox_level: Callable[[], int] = sandbox_level_here) -> list[str]:
    """One line per value of ``env`` this machine cannot honour, naming the variable and the override."""
    wanted = _level(env.get("SANDBOX_MIN_LEVEL", "L0"))
    if not wanted or wanted > max(_MISSING):
        return []
    here = sandbox_level()
    if here >= wanted:
        return []
    return [
        f"knative Service {service}: SANDBOX_MIN_LEVEL=L{wanted} cannot hold here, this machine offers L{here} "
        f"({_MISSING[here + 1]}); to run learner code less isolated, knowingly: learnflow up --env SANDBOX_MIN_LEVEL=L{here}"
    ]
