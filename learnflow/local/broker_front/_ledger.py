"""What the front knows of the broker's partitions: where each ends, and topic ids' names.

The front sees every Produce and Fetch answer, so it knows the end of each partition it has
seen written or read. A Fetch for offsets at those ends has nothing to read yet: that is the
one the front may hold. Whatever the ledger does not know counts as "there may be news", so
a gap in its knowledge costs latency (the broker's own polling), never a late or early answer.
"""

from __future__ import annotations

import enum
import uuid

from learnflow.local.broker_front._frames import FetchAsk, TopicKey

Partition = tuple[str, int]


class Outlook(enum.Enum):
    """What the ledger knows of a Fetch's partitions."""

    NEWS = "news"  # a partition has records past the offset asked for
    QUIET = "quiet"  # every partition is known to end at the offset asked for
    UNKNOWN = "unknown"  # some partition's end is not known, none known to have news


class Ledger:
    """Known partition ends and topic names, shared by all connections of one front."""

    def __init__(self) -> None:
        self._ends: dict[Partition, int] = {}
        self._names: dict[uuid.UUID, str] = {}

    def _name(self, topic: TopicKey) -> str | None:
        return self._names.get(topic) if isinstance(topic, uuid.UUID) else topic

    def outlook(self, fetch: FetchAsk) -> Outlook:
        unknown = False
        for (topic, partition), offset in fetch.offsets.items():
            name = self._name(topic)
            end = self._ends.get((name, partition)) if name is not None else None
            if end is None:
                unknown = True
            elif offset < end:
                return Outlook.NEWS
        return Outlook.UNKNOWN if unknown or not fetch.offsets else Outlook.QUIET

    def written(self, partition: Partition, end: int | None) -> None:
        """A Produce answered: ``end`` is its last offset plus one, None if not known."""
        if end is None:
            self._ends.pop(partition, None)
        else:
            self._ends[partition] = max(end, self._ends.get(partition, 0))

    def read(self, topic: TopicKey, partition: int, high_watermark: int | None) -> None:
        """A Fetch answered. Only ever raises a known end: an answer computed before a write
        that answered first would otherwise lower it."""
        name = self._name(topic)
        if name is not None:
            self.written((name, partition), high_watermark)

    def named(self, names: dict[uuid.UUID, str]) -> None:
        self._names.update(names)

    def forget(self, partitions: set[Partition] | None = None) -> None:
        """Know nothing of ``partitions`` (all when None): the broker may have changed behind us."""
        if partitions is None:
            self._ends.clear()
        else:
            for p in partitions:
                self._ends.pop(p, None)
