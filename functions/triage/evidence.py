"""What a verdict carries of its evidence: the failing line, never the program or its output.

``struggle.detected`` travels further than ``code.executed`` (see ``CodeEvidence``), so
from a run only the facts about its end are kept: status, exception, message, line
number, the line's text (already cut at 200 characters by code execution) and its
constructs. From an activity event, its attempts and duration.
"""

from __future__ import annotations

from learnflow.events import (
    MAX_EVIDENCE_MESSAGE,
    ActivityEvidence,
    CodeEvidence,
    ExecutionResult,
    ExerciseCompleted,
    HelpRequested,
)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code_evidence(result: ExecutionResult) -> CodeEvidence:
    error = result.error
    if error is None:
        return CodeEvidence(source_event_type="code.executed", status=result.status)
    return CodeEvidence(
        source_event_type="code.executed",
        status=result.status,
        exception_type=error.type,
        message=_cut(error.message, MAX_EVIDENCE_MESSAGE),
        line=error.line,
        line_text=error.line_text,
        constructs=list(error.constructs),
    )


def activity_evidence(event: HelpRequested | ExerciseCompleted) -> ActivityEvidence:
    return ActivityEvidence(
        source_event_type=event.event_type,
        attempts=event.data.attempts,
        duration=event.data.duration,
    )
