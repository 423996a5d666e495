"""``struggle-detected``: triage's verdict on one piece of evidence."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from learnflow.events._contracts._base import SNAKE_CASE, Envelope, WireModel


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


class StruggleData(WireModel):
    struggle_type: StruggleType
    concept: str = Field(pattern=SNAKE_CASE, max_length=64)
    confidence: float = Field(ge=0.0, le=1.0)
    suggested_action: SuggestedAction


class StruggleDetected(Envelope):
    event_type: Literal["struggle.detected"]
    data: StruggleData


StruggleDetectedEvent = StruggleDetected
