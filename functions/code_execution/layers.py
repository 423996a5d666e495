"""Isolation layers: their names, the levels they add up to, and the minimum a
deployment demands. Standard library only.

Every run lists the layers that were applied to it (``ExecutionResult.sandbox_layers``).
The baseline layers work on any Linux; the others are detected when the zygote starts,
by applying them in a throw-away child and checking that they bite (see ``zygote.py``).

Levels (notes/sandbox.md §5.2):

- L0: wall deadline, new session and process group, empty environment, fresh work
  dir, rlimits, non-dumpable parents, output cap, empty stdin;
- L1: L0 + seccomp (no network, no new processes, no exec, no foreign signals);
- L2: L1 + Landlock (filesystem allow-list).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

WALL_DEADLINE = "wall_deadline"
PROCESS_GROUP = "process_group"
EMPTY_ENVIRONMENT = "empty_environment"
FRESH_WORKDIR = "fresh_workdir"
RLIMITS = "rlimits"
NOT_DUMPABLE = "not_dumpable"
OUTPUT_CAP = "output_cap"
EMPTY_STDIN = "empty_stdin"
SECCOMP = "seccomp"
LANDLOCK = "landlock"
LANDLOCK_NETWORK = "landlock_network"  # Landlock ABI >= 4: no TCP bind/connect
LANDLOCK_SIGNALS = "landlock_signals"  # Landlock ABI >= 6: signals scoped to the run

BASELINE = (
    WALL_DEADLINE,
    PROCESS_GROUP,
    EMPTY_ENVIRONMENT,
    FRESH_WORKDIR,
    RLIMITS,
    NOT_DUMPABLE,
    OUTPUT_CAP,
    EMPTY_STDIN,
)


class Level(IntEnum):
    L0 = 0
    L1 = 1
    L2 = 2

    @classmethod
    def parse(cls, text: str | int) -> Level:
        """``L2``, ``l2`` or ``2``; ValueError naming the accepted values otherwise."""
        raw = str(text).strip().upper().removeprefix("L")
        try:
            return cls(int(raw))
        except ValueError:
            raise ValueError(f"unknown sandbox level {text!r}; expected one of L0, L1, L2") from None


def level_of(layers: Iterable[str]) -> Level:
    """The highest level whose layers are all present."""
    present = set(layers)
    if not set(BASELINE) <= present:
        return Level.L0  # cannot happen for a started zygote; be conservative
    if SECCOMP not in present:
        return Level.L0
    return Level.L2 if LANDLOCK in present else Level.L1
