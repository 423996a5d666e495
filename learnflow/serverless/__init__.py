"""What a LearnFlow function needs at run time: the shared function body, its responses and
health probes, the publisher and settings (each function defines its own metrics, beside its code).

Imports only ``learnflow.events``. Internals live in private modules; this face is the API.
"""

from __future__ import annotations

from learnflow.serverless._app import app_publisher, use_publisher
from learnflow.serverless._function import CloudEventFunction, cloud_event_function
from learnflow.serverless._handler import Process, mark_entered
from learnflow.serverless._health import LIVENESS_PATH, PROBE_PATHS, READINESS_PATH
from learnflow.serverless._history import HistoryUnavailable, LearnerHistory, learner_events
from learnflow.serverless._partitioner import partition_for
from learnflow.serverless._publisher import (
    ProducerFactory,
    ProducerLike,
    Publisher,
)
from learnflow.serverless._responses import (
    POISON_STATUS,
    REASON_HEADER,
    TRANSIENT_STATUS,
    json_response,
    poison,
    transient,
)
from learnflow.serverless._settings import (
    DEFAULT_BOOTSTRAP,
    FETCH_WAIT_MS,
    BrokerKind,
    EnvSettings,
    KafkaSettings,
    kafka_settings,
    load_settings,
)
from learnflow.serverless._spans import (
    Message,
    cloudevent_attributes,
    consumer_span,
    messaging_attributes,
    recording,
    send_span,
    span_name,
    work_span,
)
from learnflow.serverless._telemetry import configure_tracing, exports, flush_spans
from learnflow.serverless._trace_context import attached, carrier_of, has_parent, http_context, record_context, with_trace

__all__ = [
    "DEFAULT_BOOTSTRAP",
    "FETCH_WAIT_MS",
    "LIVENESS_PATH",
    "POISON_STATUS",
    "PROBE_PATHS",
    "READINESS_PATH",
    "REASON_HEADER",
    "TRANSIENT_STATUS",
    "BrokerKind",
    "CloudEventFunction",
    "EnvSettings",
    "HistoryUnavailable",
    "KafkaSettings",
    "LearnerHistory",
    "Message",
    "Process",
    "ProducerFactory",
    "ProducerLike",
    "Publisher",
    "app_publisher",
    "attached",
    "carrier_of",
    "cloud_event_function",
    "cloudevent_attributes",
    "configure_tracing",
    "consumer_span",
    "exports",
    "flush_spans",
    "has_parent",
    "http_context",
    "json_response",
    "kafka_settings",
    "learner_events",
    "load_settings",
    "mark_entered",
    "messaging_attributes",
    "partition_for",
    "poison",
    "record_context",
    "recording",
    "send_span",
    "span_name",
    "transient",
    "use_publisher",
    "with_trace",
    "work_span",
]
