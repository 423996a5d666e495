"""What a verdict carries of its evidence: the failing line, never the program or its output.

``struggle.detected`` travels further than ``code.executed`` (see ``CodeEvidence``), so
from a run only the facts about its end are kept: status, exception, message, line
number, the line's text (already cut at 200 characters by code execution) and its
constructs, and the diagnosis of the error with its facts (``diagnoses``). From a wrong
answer, the failing check: its name and, unless hidden, expected and got. From an
activity event, its attempts and duration.
"""

from __future__ import annotations

import re

from learnflow.events import (
    MAX_EVIDENCE_MESSAGE,
    ActivityEvidence,
    CheckEvidence,
    CodeEvidence,
    ExecutionResult,
    ExerciseCompleted,
    HelpRequested,
)

from .clues import Answer
from .diagnosis import Diagnosis

# An ImportError names the module's file on the server: noise to every reader.
SERVER_PATH = re.compile(r" \(/[^()]*\)")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code_evidence(result: ExecutionResult, diagnosis: Diagnosis) -> CodeEvidence:
    error = result.error
    if error is None:
        return CodeEvidence(
            source_event_type="code.executed", status=result.status, diagnosis=diagnosis.id, facts=diagnosis.facts
        )
    return CodeEvidence(
        source_event_type="code.executed",
        status=result.status,
        exception_type=error.type,
        message=_cut(SERVER_PATH.sub("", error.message), MAX_EVIDENCE_MESSAGE),
        diagnosis=diagnosis.id,
        facts=diagnosis.facts,
        line=error.line,
        line_text=error.line_text,
        constructs=list(error.constructs),
    )


def answer_evidence(result: ExecutionResult, diagnosis: Diagnosis, answer: Answer) -> CodeEvidence:
    """A wrong answer's evidence: the failing check, its values only when the learner may see them."""
    check = CheckEvidence(name=answer.check, hidden=answer.hidden, expected=answer.expected, got=answer.got)
    return CodeEvidence(
        source_event_type="code.executed",
        status=result.status,
        message=None if answer.error is None else _cut(SERVER_PATH.sub("", answer.error), MAX_EVIDENCE_MESSAGE),
        diagnosis=diagnosis.id,
        facts=diagnosis.facts,
        check=check,
    )


def activity_evidence(event: HelpRequested | ExerciseCompleted) -> ActivityEvidence:
    return ActivityEvidence(
        source_event_type=event.event_type,
        attempts=event.data.attempts,
        duration=event.data.duration,
    )
