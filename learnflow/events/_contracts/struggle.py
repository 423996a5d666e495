"""``struggle-detected``: triage's verdict on one piece of evidence."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, NonNegativeInt, SerializerFunctionWrapHandler, model_serializer

from learnflow.events._contracts._base import SNAKE_CASE, Envelope, WireModel
from learnflow.events._contracts.learning import MAX_LINE_TEXT, ConstructName, ExecutionStatus

MAX_EVIDENCE_MESSAGE = 300
"""Longest exception message carried as evidence; longer ones are cut and end with "…".
Python's own messages are far shorter; a longer one is echoing the learner's data
(a huge dictionary key, a long input), which the verdict does not need."""


class StruggleType(StrEnum):
    SYNTAX_ERROR = "syntax_error"
    LOGIC_ERROR = "logic_error"
    CONCEPT_CONFUSION = "concept_confusion"


class SuggestedAction(StrEnum):
    EXPLAIN_CONCEPT = "explain_concept"  # the learner misunderstands the idea itself
    SHOW_EXAMPLE = "show_example"  # the idea is known, a worked example unblocks
    GIVE_HINT = "give_hint"  # close to a solution; a nudge, not the answer
    REVIEW_SYNTAX = "review_syntax"  # the code does not parse
    SUGGEST_BREAK = "suggest_break"  # long, fruitless effort


class CodeEvidence(WireModel):
    """What one run of the learner's code showed: how it ended and the line that failed.

    Never the program, never its output: only the failing line, cut at 200 characters.
    ``struggle-detected`` is read by more services than ``code.executed`` is (concepts
    today; dashboards and tutors' tools are the obvious next readers), while the whole
    submission and what it printed stay on ``learning-events``, where the learner's own
    result stream and triage read them. The verdict carries just enough to explain the
    error on the learner's own line, and nothing a wider audience should not see.
    """

    source_event_type: Literal["code.executed"] = Field(description="The eventType this verdict was drawn from.")
    status: ExecutionStatus = Field(description="How the run ended (error, timeout, memory_exceeded...).")
    exception_type: str | None = Field(default=None, max_length=128, description="The exception class, e.g. IndexError.")
    message: str | None = Field(
        default=None, max_length=MAX_EVIDENCE_MESSAGE, description="Python's message for it (cut at 300 characters)."
    )
    line: int | None = Field(default=None, ge=1, description="1-based number of the failing line.")
    line_text: str | None = Field(
        default=None, max_length=MAX_LINE_TEXT, description="The failing line as written (cut at 200 characters)."
    )
    constructs: list[ConstructName] = Field(default_factory=list, description="Constructs found on the failing line.")


class ActivityEvidence(WireModel):
    """The effort an activity event reported: how many submissions, how long."""

    source_event_type: Literal["exercise.completed", "help.requested"] = Field(
        description="The eventType this verdict was drawn from."
    )
    attempts: NonNegativeInt = Field(description="Submissions made on the exercise so far.")
    duration: NonNegativeInt = Field(description="Seconds spent on the exercise so far.")


Evidence = Annotated[CodeEvidence | ActivityEvidence, Field(discriminator="source_event_type")]
"""What a verdict was drawn from, told apart by ``sourceEventType``."""


class StruggleData(WireModel):
    struggle_type: StruggleType
    concept: str = Field(pattern=SNAKE_CASE, max_length=64)
    confidence: float = Field(ge=0.0, le=1.0)
    suggested_action: SuggestedAction
    evidence: Evidence | None = Field(
        default=None,
        description="Optional, not in the seed: what the verdict was drawn from, so an explanation "
        "can be about the learner's own code. A consumer that knows only the seed ignores it.",
    )

    @model_serializer(mode="wrap")
    def _omit_absent_evidence(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A verdict without evidence is written exactly as the seed's document: the
        # four fields, no ``"evidence": null`` for a strict reader to stumble on.
        data: dict[str, Any] = handler(self)
        if self.evidence is None:
            data.pop("evidence", None)
        return data


class StruggleDetected(Envelope):
    event_type: Literal["struggle.detected"]
    data: StruggleData


StruggleDetectedEvent = StruggleDetected
