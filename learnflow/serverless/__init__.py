"""What a LearnFlow function needs at run time: the shared function body, its responses and
health probes, the publisher, settings and the function metrics.

Imports only ``learnflow.events``. Internals live in private modules; this face is the API.
"""

from __future__ import annotations

from learnflow.serverless._app import app_publisher, use_publisher
from learnflow.serverless._function import CloudEventFunction, cloud_event_function
from learnflow.serverless._handler import Process, mark_entered
from learnflow.serverless._health import LIVENESS_PATH, PROBE_PATHS, READINESS_PATH
from learnflow.serverless._history import HistoryUnavailable, LearnerHistory, learner_events
from learnflow.serverless._metrics import (
    CODE_EXECUTION_SANDBOX_REFUSALS,
    CODE_EXECUTION_UNPUBLISHED_RESULTS,
    CONCEPTS_LLM_FALLBACKS,
    CONCEPTS_UNKNOWN,
)
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
    BrokerKind,
    EnvSettings,
    KafkaSettings,
    kafka_settings,
    load_settings,
)

__all__ = [
    "CODE_EXECUTION_SANDBOX_REFUSALS",
    "CODE_EXECUTION_UNPUBLISHED_RESULTS",
    "CONCEPTS_LLM_FALLBACKS",
    "CONCEPTS_UNKNOWN",
    "DEFAULT_BOOTSTRAP",
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
    "Process",
    "ProducerFactory",
    "ProducerLike",
    "Publisher",
    "app_publisher",
    "cloud_event_function",
    "json_response",
    "kafka_settings",
    "learner_events",
    "load_settings",
    "mark_entered",
    "poison",
    "transient",
    "use_publisher",
]
