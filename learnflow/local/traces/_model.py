"""A finished span as the embedded store keeps it: what a waterfall needs, from any process."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

AttributeValue = str | bool | int | float


class SpanRecord(BaseModel):
    """One span, ids in lower-case hex as W3C ``traceparent`` writes them, times in Unix nanoseconds."""

    model_config = ConfigDict(frozen=True)

    trace_id: str
    span_id: str
    parent_span_id: str | None = None
    name: str
    kind: str  # server, client, producer, consumer, internal
    service: str
    start_ns: int
    end_ns: int
    attributes: dict[str, AttributeValue] = {}
    error: bool = False

    @property
    def duration_ms(self) -> float:
        return max(0, self.end_ns - self.start_ns) / 1e6


class TraceAnswer(BaseModel):
    """What the store answers to ``learnflow trace``: the trace found, and every span of it it holds."""

    trace_id: str
    spans: list[SpanRecord]
