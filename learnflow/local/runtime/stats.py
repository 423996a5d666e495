"""What the status table shows for one source: counts from every thread, kept exact.

The poll thread counts records received and sets the lag; every partition worker counts
what it delivered or dead-lettered. A lock makes each count a single step, so no
increment is lost to another thread's, whatever the interpreter (free-threaded builds
included) or the moment a thread is switched.
"""

from __future__ import annotations

import threading

LagKey = tuple[str, int]  # (topic, partition)


class SourceStats:
    """Counts of one source's records, read by the status table, the soak and the bench."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received = 0
        self._delivered = 0
        self._dead_lettered = 0
        # Replaced whole by the poll thread, never changed in place: a reader summing it
        # sees one reading or the next, never a dict changing under its iteration.
        self.lag: dict[LagKey, int] = {}
        self.connected = False

    def count_received(self, n: int = 1) -> None:
        with self._lock:
            self._received += n

    def count_delivered(self) -> None:
        with self._lock:
            self._delivered += 1

    def count_dead_lettered(self) -> None:
        with self._lock:
            self._dead_lettered += 1

    @property
    def received(self) -> int:
        return self._received

    @property
    def delivered(self) -> int:
        return self._delivered

    @property
    def dead_lettered(self) -> int:
        return self._dead_lettered

    def __repr__(self) -> str:
        return (
            f"SourceStats(received={self._received}, delivered={self._delivered}, "
            f"dead_lettered={self._dead_lettered}, lag={self.lag}, connected={self.connected})"
        )
