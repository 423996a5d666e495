"""Which offset of a partition may be committed, whatever order records finish in.

A record is committed only once it and every record before it has finished (been
delivered or dead-lettered). Offsets are started in log order, so the commit point is
the oldest offset still in flight, or one past the newest started when none is.
"""

from __future__ import annotations


class PartitionProgress:
    def __init__(self) -> None:
        self._in_flight: set[int] = set()
        self._next: int | None = None  # one past the newest started offset
        self.committed: int | None = None
        self.resumed_at: int | None = None  # the group's position when this assignment began

    def started(self, offset: int) -> None:
        self._in_flight.add(offset)
        self._next = offset + 1 if self._next is None else max(self._next, offset + 1)

    def finished(self, offset: int) -> None:
        self._in_flight.discard(offset)

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    def committable(self) -> int | None:
        """The offset to commit now (Kafka's "next to read"), or None if nothing new."""
        if self._next is None:
            return None
        point = min(self._in_flight) if self._in_flight else self._next
        if self.committed is not None and point <= self.committed:
            return None
        return point

    def mark_committed(self, offset: int) -> None:
        self.committed = offset
