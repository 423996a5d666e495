"""The gateway's own metrics (DESIGN §6), served on its ``/metrics``.

What only the gateway sees: the streams it holds, what it pushes and how late, what it
refuses and what it publishes. Push latency runs from the record's Kafka timestamp (the
producer's clock at send; LogAppendTime where the topic says so) to the SSE write, so it
is the whole pipeline's latency as the learner feels it, for live pushes only: an event
replayed from history to a resumed stream is old by design.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

OPEN_STREAMS = Gauge("learnflow_gateway_open_streams", "Learner streams (SSE) this gateway holds open.")
EVENTS_PUSHED = Counter(
    "learnflow_gateway_events_pushed", "Events written to learner streams, live or replayed.", ["event_type", "replayed"]
)
PUSH_LATENCY = Histogram(
    "learnflow_gateway_push_latency_seconds",
    "Record's Kafka timestamp to its SSE write, for live pushes.",
    ["event_type"],
    # A code.executed follows one function, a help.explanation three: tenths of a second
    # to seconds on a laptop; minutes only when something is stuck.
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
)
REFUSALS = Counter("learnflow_gateway_refusals", "Requests answered with an error status, by status.", ["status"])
SUBMISSIONS_PUBLISHED = Counter(
    "learnflow_gateway_submissions_published", "Learner events the gateway published to Kafka, by type.", ["event_type"]
)


def observe_push(event_type: str, timestamp_ms: int, now_s: float, *, replayed: bool) -> None:
    """Count one SSE write; observe its latency if it was live and its record has a timestamp."""
    EVENTS_PUSHED.labels(event_type, "true" if replayed else "false").inc()
    if not replayed and timestamp_ms > 0:
        PUSH_LATENCY.labels(event_type).observe(max(0.0, now_s - timestamp_ms / 1000))
