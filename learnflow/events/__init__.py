"""LearnFlow's event library: the contracts, the topics they travel on, the errors, one codec.

What every producer and consumer of the backbone shares, and nothing else: it imports no
other part of ``learnflow``. Internals live in private modules; this face is the API.
"""

from __future__ import annotations

from learnflow.events._codec.http import (
    KAFKA_WRAPPER_TYPE,
    UNREADABLE_CLOUDEVENT,
    event_from_cloudevent,
    event_from_request,
    to_binary_http,
)
from learnflow.events._codec.kafka import (
    JSON,
    SPECVERSION,
    STRUCTURED,
    KafkaRecord,
    ce_attributes,
    from_record,
    record_mode,
    seed_document,
    source_for,
    to_record,
)
from learnflow.events._concepts import (
    FALLBACK_CONCEPT,
    Concept,
    is_known_concept,
)
from learnflow.events._contracts._base import (
    SNAKE_CASE,
    Envelope,
    Timestamp,
    WireModel,
    now_utc,
)
from learnflow.events._contracts.code import (
    MAX_CODE_BYTES,
    CodeSubmitted,
    CodeSubmittedEvent,
    SubmissionData,
)
from learnflow.events._contracts.factories import (
    E,
    follow_up,
    follow_up_id,
    new_event,
)
from learnflow.events._contracts.help import (
    ExplanationData,
    HelpExplanation,
    HelpExplanationEvent,
)
from learnflow.events._contracts.learning import (
    ActivityData,
    CodeExecuted,
    ConstructName,
    ExecutionError,
    ExecutionResult,
    ExecutionStatus,
    ExerciseCompleted,
    ExerciseStarted,
    HelpRequested,
    LearningEvent,
)
from learnflow.events._contracts.struggle import (
    StruggleData,
    StruggleDetected,
    StruggleDetectedEvent,
    StruggleType,
    SuggestedAction,
)
from learnflow.events._errors import (
    BrokerError,
    ConfigurationError,
    FieldError,
    InvalidEvent,
    LearnflowError,
    PublishError,
    UnknownTopic,
)
from learnflow.events._topics import (
    CODE_SUBMITTED,
    DLQ_PARTITIONS,
    DLQ_SUFFIX,
    LEARNING_EVENTS,
    PROACTIVE_HELP,
    STRUGGLE_DETECTED,
    TOPICS,
    Topic,
    all_topic_partitions,
    get_topic,
    topic_for_event_type,
    topic_of,
)
from learnflow.events._validation import (
    field_errors,
    load_json,
    validate_document,
)

__all__ = [
    "CODE_SUBMITTED",
    "DLQ_PARTITIONS",
    "DLQ_SUFFIX",
    "FALLBACK_CONCEPT",
    "JSON",
    "KAFKA_WRAPPER_TYPE",
    "LEARNING_EVENTS",
    "MAX_CODE_BYTES",
    "PROACTIVE_HELP",
    "SNAKE_CASE",
    "SPECVERSION",
    "STRUCTURED",
    "STRUGGLE_DETECTED",
    "TOPICS",
    "UNREADABLE_CLOUDEVENT",
    "ActivityData",
    "BrokerError",
    "CodeExecuted",
    "CodeSubmitted",
    "CodeSubmittedEvent",
    "Concept",
    "ConfigurationError",
    "ConstructName",
    "E",
    "Envelope",
    "ExecutionError",
    "ExecutionResult",
    "ExecutionStatus",
    "ExerciseCompleted",
    "ExerciseStarted",
    "ExplanationData",
    "FieldError",
    "HelpExplanation",
    "HelpExplanationEvent",
    "HelpRequested",
    "InvalidEvent",
    "KafkaRecord",
    "LearnflowError",
    "LearningEvent",
    "PublishError",
    "StruggleData",
    "StruggleDetected",
    "StruggleDetectedEvent",
    "StruggleType",
    "SubmissionData",
    "SuggestedAction",
    "Timestamp",
    "Topic",
    "UnknownTopic",
    "WireModel",
    "all_topic_partitions",
    "ce_attributes",
    "event_from_cloudevent",
    "event_from_request",
    "field_errors",
    "follow_up",
    "follow_up_id",
    "from_record",
    "get_topic",
    "is_known_concept",
    "load_json",
    "new_event",
    "now_utc",
    "record_mode",
    "seed_document",
    "source_for",
    "to_binary_http",
    "to_record",
    "topic_for_event_type",
    "topic_of",
    "validate_document",
]
