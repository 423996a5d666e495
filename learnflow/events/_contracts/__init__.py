"""The event contracts: one pydantic model per seed document, shared by every service."""

from learnflow.events._contracts._base import Envelope, Timestamp, WireModel
from learnflow.events._contracts.code import MAX_CODE_BYTES, CodeSubmitted, CodeSubmittedEvent, SubmissionData
from learnflow.events._contracts.factories import follow_up, follow_up_id, new_event
from learnflow.events._contracts.help import ExplanationData, HelpExplanation, HelpExplanationEvent
from learnflow.events._contracts.learning import (
    MAX_LINE_TEXT,
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
from learnflow.events._contracts.struggle import (
    MAX_EVIDENCE_MESSAGE,
    ActivityEvidence,
    CodeEvidence,
    Evidence,
    StruggleData,
    StruggleDetected,
    StruggleDetectedEvent,
    StruggleType,
    SuggestedAction,
)

__all__ = [
    "MAX_CODE_BYTES",
    "MAX_EVIDENCE_MESSAGE",
    "MAX_LINE_TEXT",
    "ActivityData",
    "ActivityEvidence",
    "CodeEvidence",
    "CodeExecuted",
    "CodeSubmitted",
    "CodeSubmittedEvent",
    "Envelope",
    "Evidence",
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
