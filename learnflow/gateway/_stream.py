"""What one learner's stream sends, decided event by event: pure, no I/O.

Exactly once across reconnects rests on two rules. Within a partition, an event is
sent only if its offset is at or past the cursor, and sending it moves the cursor past
it; so a resume from any cursor the browser saw repeats nothing and, reading the
partition from there, misses nothing. And an event whose id was already seen (sent, or
read back from just before the cursor) is skipped: at-least-once producers upstream
may write the same event twice.
"""

from __future__ import annotations

import heapq
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from learnflow.gateway._cursor import Cursor
from learnflow.gateway._records import StreamEvent

DEFAULT_MEMORY = 4096


class RecentIds:
    """The last ``capacity`` event ids seen, forgetting the oldest first."""

    def __init__(self, capacity: int = DEFAULT_MEMORY) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[uuid.UUID, None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, event_id: uuid.UUID) -> bool:
        return event_id in self._ids

    def add(self, event_id: uuid.UUID) -> bool:
        """Remember ``event_id``; True if it was new."""
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        if len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return True


class StreamState:
    """The cursor of one stream and the ids it has seen."""

    def __init__(self, cursor: Cursor, seen: RecentIds | None = None) -> None:
        self.cursor = cursor
        self.seen = seen if seen is not None else RecentIds()

    def accept(self, event: StreamEvent) -> str | None:
        """The cursor to send ``event`` with, or None if it must not be sent.

        An event outside the learner's partition (a producer with another partitioner)
        is sent with the cursor unchanged: it cannot be resumed from, but is not lost live.
        """
        i = event.topic_index
        if event.partition != self.cursor.partitions[i]:
            return self.cursor.encode() if self.seen.add(event.event_id) else None
        if event.offset < self.cursor.offsets[i]:
            self.seen.add(event.event_id)  # sent before the cursor: a later copy is a duplicate
            return None
        self.cursor = self.cursor.after(i, event.offset)
        return self.cursor.encode() if self.seen.add(event.event_id) else None


def in_write_order(per_partition: Iterable[Iterable[StreamEvent]]) -> Iterator[StreamEvent]:
    """Events of several partitions interleaved by timestamp, each partition's own order kept.

    Kafka orders records within a partition only; across the two topics, the record
    timestamp is the best account of the order they were written in. A partition's
    order always wins over its timestamps (clocks of different producers may disagree).
    On equal timestamps (milliseconds), learning-events goes first: a help.explanation is
    always the consequence of a learning event, never its cause.

    This orders what is read together: a history range, or one fetch. Two live fetches
    are sent in the order they are read, and one fetch may read the learner's partition of
    one topic before an event was written there and the other topic's after a later one
    (Tansu lists a partition's batches on each fetch, so its window is milliseconds; Apache
    Kafka's is microseconds). Help is written a whole pipeline after the learning event
    that caused it, so causes still come first; two unrelated events written within that
    window may swap. Per topic the order is always Kafka's.
    """
    return heapq.merge(*per_partition, key=lambda e: (e.timestamp_ms, e.topic_index))
