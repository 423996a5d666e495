"""The domain: one ``code.submitted`` in, one ``code.executed`` out. No I/O but the sandbox.

A submission that cannot be run (another language, too large) is answered with a
result saying so, never an exception: the learner and triage both need to know.
A sandbox that refuses or fails raises a ``SandboxError``, which the entry points turn
into a 5xx (the input is retried; nothing is published).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from learnflow.events import (
    Catalogue,
    CodeExecuted,
    CodeSubmitted,
    Envelope,
    ExecutionResult,
    ExecutionStatus,
    ExerciseCompleted,
    follow_up,
)

from .completion import LOOKBACK, completion
from .constructs import analyse
from .grading import calls_for, grade
from .limits import Limits
from .outcome import RunOutcome
from .result import build_result, refused_result

PRODUCER = "code-execution"
COMPLETION = "code-execution/exercise.completed"
"""Derives the completion's id from the submission's, apart from the code.executed's."""
LANGUAGES = frozenset({"python", "python3"})
"""Accepted ``language`` values, compared case-insensitively."""


class Runner(Protocol):
    """What the domain needs of a sandbox (``sandbox.Sandbox`` in production)."""

    def run(self, code: str, limits: Limits | None = None, calls: list[dict[str, str]] | None = None) -> RunOutcome: ...


HistoryReader = Callable[[uuid.UUID, datetime], Sequence[Envelope]]
"""(userId, since) -> that learner's events on learning-events since then (``learner_events`` in production)."""


class CodeExecution:
    def __init__(
        self, runner: Runner, limits: Limits, catalogue: Catalogue | None = None, history: HistoryReader | None = None
    ) -> None:
        self.runner = runner
        self.limits = limits
        self.catalogue = catalogue  # None: no submission is graded
        self.history = history  # None: a pass completes nothing (no exercise.completed)

    def execute(self, submission: CodeSubmitted) -> ExecutionResult:
        """Run a submission, or say why it was not run."""
        data = submission.data
        if data.language.strip().lower() not in LANGUAGES:
            return refused_result(
                exercise_id=data.exercise_id,
                submission_id=submission.event_id,
                status=ExecutionStatus.UNSUPPORTED_LANGUAGE,
                reason=f"language {data.language!r} is not executable; supported: {', '.join(sorted(LANGUAGES))}",
            )
        size = len(data.code.encode("utf-8", "surrogatepass"))
        if size > self.limits.code_bytes:
            return refused_result(
                exercise_id=data.exercise_id,
                submission_id=submission.event_id,
                status=ExecutionStatus.REJECTED,
                reason=f"code is {size} bytes; the limit is {self.limits.code_bytes} bytes (UTF-8)",
            )
        analysis = analyse(data.code)
        exercise = self.catalogue.get(data.exercise_id) if self.catalogue is not None else None
        outcome = self.runner.run(data.code, self.limits, calls_for(exercise) if exercise is not None else None)
        result = build_result(
            exercise_id=data.exercise_id,
            submission_id=submission.event_id,
            code=data.code,
            outcome=outcome,
            analysis=analysis,
            limits=self.limits,
        )
        if exercise is None:
            return result
        graded = grade(exercise, outcome, result.status)
        # A wrong answer is a failure triage diagnoses by reading the program (a print where a
        # return belongs), so a failing grade carries the code as a failed run does.
        return result.model_copy(update={"grade": graded, "code": result.code if graded.passed else data.code})

    def run_submission(self, event: Envelope) -> list[CodeExecuted | ExerciseCompleted]:
        """The follow-ups of a ``code.submitted``: its ``code.executed``, then the completion a pass earns.

        Ids are uuid5(input id, producer): a retried submission yields the same events.
        """
        assert isinstance(event, CodeSubmitted), f"expected code.submitted, got {event.event_type}"
        result = self.execute(event)
        executed = follow_up(CodeExecuted, cause=event, producer=PRODUCER, data=result)
        if result.grade is None or not result.grade.passed or self.history is None:
            return [executed]
        history = self.history(event.user_id, executed.timestamp - LOOKBACK)
        activity = completion(history, exercise_id=result.exercise_id, submission_id=event.event_id, passed_at=executed.timestamp)
        if activity is None:
            return [executed]
        return [executed, follow_up(ExerciseCompleted, cause=event, producer=COMPLETION, data=activity)]
