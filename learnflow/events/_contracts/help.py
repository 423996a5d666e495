"""``proactive-help``: an explanation pushed to the learner."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from learnflow.events._contracts._base import SNAKE_CASE, Envelope, WireModel
from learnflow.events._contracts.struggle import StruggleType, SuggestedAction


class ExplanationData(WireModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=16_384, description="Markdown.")
    example_code: str = Field(max_length=16_384)
    expected_output: str = Field(max_length=16_384)
    concept: str = Field(pattern=SNAKE_CASE, max_length=64)
    struggle_type: StruggleType
    suggested_action: SuggestedAction
    source_event_id: uuid.UUID = Field(description="eventId of the struggle.detected answered.")
    explainer: str = Field(default="knowledge_base", description="Which backend wrote the text.")


class HelpExplanation(Envelope):
    event_type: Literal["help.explanation"]
    data: ExplanationData
