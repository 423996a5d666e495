"""The event contracts: one pydantic model per seed document, shared by every service."""

from ._base import Envelope, Timestamp, WireModel
from .code import MAX_CODE_BYTES, CodeSubmitted, CodeSubmittedEvent, SubmissionData
from .factories import follow_up, follow_up_id, new_event
from .help import ExplanationData, HelpExplanation, HelpExplanationEvent
from .learning import (
    ActivityData,
    CodeExecuted,
    ExecutionError,
    ExecutionResult,
    ExecutionStatus,
    ExerciseCompleted,
    ExerciseStarted,
    HelpRequested,
    LearningEvent,
)
from .struggle import (
    StruggleData,
    StruggleDetected,
    StruggleDetectedEvent,
    StruggleType,
    SuggestedAction,
)

__all__ = [
    "MAX_CODE_BYTES",
    "ActivityData",
    "CodeExecuted",
    "CodeSubmitted",
    "CodeSubmittedEvent",
    "Envelope",
    "ExecutionError",
    "ExecutionResult",
    "ExecutionStatus",
    "ExerciseCompleted",
    "ExerciseStarted",
    "ExplanationData",
    "HelpExplanation",
    "HelpExplanationEvent",
    "HelpRequested",
    "LearningEvent",
    "StruggleData",
    "StruggleDetected",
    "StruggleDetectedEvent",
    "StruggleType",
    "SubmissionData",
    "SuggestedAction",
    "Timestamp",
    "WireModel",
    "follow_up",
    "follow_up_id",
    "new_event",
]
