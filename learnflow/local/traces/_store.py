"""The embedded default's memory: the last spans every process sent, and how to find one submission's trace.

Bounded (the oldest spans go first), so a stack left running for days holds the recent
past, not everything. A trace is found by what a person has in hand: the eventId the
gateway answered with (``messaging.message.id``, the CloudEvent id of the record), a
userId (the record key: that learner's latest trace), or the trace id itself.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterable, Sequence

from learnflow.local.traces._model import SpanRecord, TraceAnswer

DEFAULT_CAPACITY = 200_000
_TRACE_ID = re.compile(r"[0-9a-f]{32}")
_FIND_BY = ("messaging.message.id", "cloudevents.event_id", "messaging.kafka.message.key")


def find_trace(spans: Sequence[SpanRecord], query: str) -> str | None:
    """The trace ``query`` names: a trace id, an event id, else a key's most recent trace."""
    query = query.strip().lower()
    if _TRACE_ID.fullmatch(query) and any(s.trace_id == query for s in spans):
        return query
    for attribute in _FIND_BY:
        matching = [s for s in spans if str(s.attributes.get(attribute, "")).lower() == query]
        if matching:
            # An event id names one trace; a key names many: the latest one it started.
            return min(matching, key=lambda s: -s.start_ns).trace_id
    return None


class SpanStore:
    """Thread-safe, bounded; filled by the receiver, read by ``learnflow trace``."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._spans: deque[SpanRecord] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._spans)

    def add(self, spans: Iterable[SpanRecord]) -> None:
        with self._lock:
            self._spans.extend(spans)

    def snapshot(self) -> list[SpanRecord]:
        with self._lock:
            return list(self._spans)

    def trace(self, query: str) -> TraceAnswer | None:
        spans = self.snapshot()
        trace_id = find_trace(spans, query)
        if trace_id is None:
            return None
        return TraceAnswer(trace_id=trace_id, spans=[s for s in spans if s.trace_id == trace_id])
