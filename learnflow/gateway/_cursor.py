"""Where a learner's stream stands, as the SSE ``id:`` the browser hands back on reconnect.

A learner's events are keyed by userId, so they live in one partition of each streamed
topic: the one Kafka's default partitioner (murmur2 of the key, as kafka-python,
aiokafka and the Java client compute it) picks. A cursor is the next offset to send
from in each of those partitions, written ``<partition>.<offset>`` per topic, joined by
``-``: ``1.15-2.7``. It names the partitions so that a cursor of another learner, or
from before a change of partition count, is refused instead of silently misread.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from learnflow.events import LEARNING_EVENTS, PROACTIVE_HELP
from learnflow.serverless import partition_for

STREAMED: tuple[tuple[str, frozenset[str]], ...] = (
    (LEARNING_EVENTS.name, frozenset({"code.executed"})),  # the seed's "direct response"
    (PROACTIVE_HELP.name, frozenset({"help.explanation"})),  # "Explanation (pushed)"
)
"""The streamed topics, in cursor order, with the event types a learner is sent from each."""

STREAMED_TOPICS: tuple[str, ...] = tuple(name for name, _ in STREAMED)

_PART = re.compile(r"^(\d{1,5})\.(\d{1,19})$")


class InvalidCursor(ValueError):
    """A Last-Event-ID that is not a cursor of this learner's stream (answered 400)."""


def learner_partitions(user_id: uuid.UUID, counts: dict[str, int]) -> tuple[int, ...]:
    """The learner's partition of each streamed topic, given each topic's partition count."""
    key = str(user_id).encode()
    return tuple(partition_for(key, counts[name]) for name in STREAMED_TOPICS)


@dataclass(frozen=True)
class Cursor:
    partitions: tuple[int, ...]
    offsets: tuple[int, ...]  # the next offset to send from, per streamed topic

    def encode(self) -> str:
        return "-".join(f"{p}.{o}" for p, o in zip(self.partitions, self.offsets, strict=True))

    def after(self, topic_index: int, offset: int) -> Cursor:
        """This cursor once the record at ``offset`` of topic ``topic_index`` was passed."""
        offsets = list(self.offsets)
        offsets[topic_index] = max(offsets[topic_index], offset + 1)
        return Cursor(self.partitions, tuple(offsets))

    @classmethod
    def decode(cls, text: str, partitions: tuple[int, ...]) -> Cursor:
        """Parse a cursor of the learner whose partitions are ``partitions``; InvalidCursor if not one."""
        parts = text.strip().split("-")
        if len(parts) != len(partitions):
            raise InvalidCursor(f"expected {len(partitions)} positions like 0.15-2.7, got {text[:64]!r}")
        offsets = []
        for i, part in enumerate(parts):
            m = _PART.match(part)
            if m is None:
                raise InvalidCursor(f"position {i + 1} is not <partition>.<offset>: {part[:32]!r}")
            if int(m[1]) != partitions[i]:
                raise InvalidCursor(f"position {i + 1} names partition {m[1]}, but this learner's is {partitions[i]}")
            offsets.append(int(m[2]))
        return cls(partitions, tuple(offsets))
