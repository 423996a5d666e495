"""``code-submitted``: a learner's program, to be run."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from learnflow.events._contracts._base import Envelope, WireModel

MAX_CODE_BYTES = 64 * 1024
"""Largest accepted submission. A tutoring exercise is a screen or two of code; 64 KiB
leaves two orders of magnitude of room and keeps a record far below Kafka's 1 MB."""


class SubmissionData(WireModel):
    exercise_id: uuid.UUID
    code: str = Field(max_length=MAX_CODE_BYTES)
    language: str = Field(min_length=1, max_length=32, description="Only python is executable.")


class CodeSubmitted(Envelope):
    event_type: Literal["code.submitted"]
    data: SubmissionData
