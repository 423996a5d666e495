"""``learning-events``: what learners do, and what code execution observed.

LearningEvent is a union discriminated by ``eventType``: the three seed types share
the seed's activity data, and ``code.executed`` carries an execution result.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, NonNegativeFloat, NonNegativeInt

from learnflow.events._contracts._base import SNAKE_CASE, Envelope, WireModel
from learnflow.events._contracts.code import MAX_CODE_BYTES


class ActivityData(WireModel):
    exercise_id: uuid.UUID
    duration: NonNegativeInt = Field(description="Seconds spent on the exercise so far.")
    attempts: NonNegativeInt = Field(description="Submissions made on the exercise so far.")


class ExerciseStarted(Envelope):
    event_type: Literal["exercise.started"]
    data: ActivityData


class ExerciseCompleted(Envelope):
    event_type: Literal["exercise.completed"]
    data: ActivityData


class HelpRequested(Envelope):
    event_type: Literal["help.requested"]
    data: ActivityData


class ExecutionStatus(StrEnum):
    OK = "ok"
    ERROR = "error"  # the learner's program raised or exited non-zero
    TIMEOUT = "timeout"  # CPU or wall limit
    MEMORY_EXCEEDED = "memory_exceeded"
    OUTPUT_EXCEEDED = "output_exceeded"  # wrote past the file-size limit
    REJECTED = "rejected"  # refused before running (too large, sandbox below its minimum level)
    UNSUPPORTED_LANGUAGE = "unsupported_language"


ConstructName = Annotated[str, Field(pattern=SNAKE_CASE, max_length=64)]

MAX_LINE_TEXT = 200
"""Longest failing line carried in an event; longer lines are cut and end with "…".
A learner's line is rarely past 100 characters; the cap keeps a generated or pasted
one-line blob from riding along with every verdict."""


class ExecutionError(WireModel):
    """The learner's exception, as Python reported it."""

    type: str = Field(max_length=128, description="Exception class, e.g. SyntaxError.")
    message: str = Field(max_length=2048)
    line: int | None = Field(default=None, ge=1, description="1-based line in the learner's code.")
    line_text: str | None = Field(
        default=None,
        max_length=MAX_LINE_TEXT,
        description="That line as the learner wrote it, without its newline (cut at 200 characters).",
    )
    constructs: list[ConstructName] = Field(
        default_factory=list,
        description="Constructs found on the failing line (lexically when the code does not parse).",
    )


MAX_CHECK_TEXT = 300
"""Longest ``expected``/``got`` JSON text of a check in an event; longer ones are cut and end with "…"."""


class CheckResult(WireModel):
    """One check of a graded run. A hidden check says only its name and whether it passed."""

    name: str = Field(max_length=200)
    passed: bool
    hidden: bool = False
    expected: str | None = Field(
        default=None,
        max_length=MAX_CHECK_TEXT,
        description="JSON text of the expected value (a stdout check's: the expected output as a JSON string), "
        "cut at 300 characters; null for a hidden check.",
    )
    got: str | None = Field(
        default=None,
        max_length=MAX_CHECK_TEXT,
        description="JSON text of what the run gave, cut at 300 characters; null for a hidden check or when the run "
        "gave no value (see error).",
    )
    error: str | None = Field(
        default=None,
        max_length=600,
        description="Why there is no value to compare (the call raised, was never made...); null for a hidden check.",
    )


class Grade(WireModel):
    """How a run of a catalogue exercise fared against its checks, compared outside the sandbox."""

    passed: bool = Field(description="Every check passed.")
    checks: list[CheckResult] = Field(min_length=1)


class ExecutionResult(WireModel):
    """The data of ``code.executed``: one run of one submission."""

    exercise_id: uuid.UUID
    submission_id: uuid.UUID = Field(description="eventId of the code.submitted that was run.")
    status: ExecutionStatus
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    duration_ms: NonNegativeFloat = 0.0
    error: ExecutionError | None = None
    constructs: list[ConstructName] = Field(default_factory=list, description="Constructs found in the whole program by ast.")
    sandbox_layers: list[str] = Field(default_factory=list, description="Isolation layers that were applied to this run.")
    reason: str | None = Field(default=None, description="Why a submission was rejected.")
    code: str | None = Field(
        default=None,
        max_length=MAX_CODE_BYTES,
        description="The program, on a run that did not end cleanly or failed a check of its exercise: triage "
        "reads it with its error or the failing check (the names it defines, the statement around the failing line, "
        "a print where a return belongs). Absent on a clean run.",
    )
    grade: Grade | None = Field(
        default=None,
        description="The run against its exercise's checks; null when the exercise is not in the catalogue "
        "(or the submission was not run): the run is ungraded.",
    )


class CodeExecuted(Envelope):
    event_type: Literal["code.executed"]
    data: ExecutionResult


LearningEvent = Annotated[
    ExerciseStarted | ExerciseCompleted | HelpRequested | CodeExecuted,
    Field(discriminator="event_type"),
]
