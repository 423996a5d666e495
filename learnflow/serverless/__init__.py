"""What a LearnFlow function needs at run time: the shared function body, its responses and
health probes, the publisher, settings and the function metrics.

Imports only ``learnflow.events``. Internals live in private modules; this face is the API.
"""

from __future__ import annotations

from learnflow.serverless._handler import (
    Process,
    answer_undecodable,
    decode_or_abort,
    handle_cloudevent,
    mark_entered,
    publish_or_abort,
)
from learnflow.serverless._health import (
    LIVENESS_PATH,
    PROBE_PATHS,
    READINESS_PATH,
    serve_health_probes,
)
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
    get_publisher,
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
    "EnvSettings",
    "KafkaSettings",
    "Process",
    "ProducerFactory",
    "ProducerLike",
    "Publisher",
    "answer_undecodable",
    "decode_or_abort",
    "get_publisher",
    "handle_cloudevent",
    "json_response",
    "kafka_settings",
    "load_settings",
    "mark_entered",
    "poison",
    "publish_or_abort",
    "serve_health_probes",
    "transient",
]
