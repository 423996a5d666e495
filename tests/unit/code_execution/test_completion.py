"""The completion a pass earns, counted from the learner's own events (pure)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from functions.code_execution.completion import completion
from learnflow.events import CodeExecuted, Envelope, ExerciseCompleted, ExerciseStarted, new_event

USER = uuid.uuid4()
EXERCISE = uuid.uuid4()
T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
PASSING = uuid.uuid4()


def started(minute: int, exercise: uuid.UUID = EXERCISE) -> Envelope:
    data = {"exerciseId": exercise, "duration": 0, "attempts": 0}
    return new_event(ExerciseStarted, user_id=USER, data=data, timestamp=T0 + timedelta(minutes=minute))


def completed(minute: int) -> Envelope:
    data = {"exerciseId": EXERCISE, "duration": 60, "attempts": 1}
    return new_event(ExerciseCompleted, user_id=USER, data=data, timestamp=T0 + timedelta(minutes=minute))


def executed(minute: int, exercise: uuid.UUID = EXERCISE, submission: uuid.UUID | None = None) -> Envelope:
    data = {"exerciseId": exercise, "submissionId": submission or uuid.uuid4(), "status": "ok"}
    return new_event(CodeExecuted, user_id=USER, data=data, timestamp=T0 + timedelta(minutes=minute))


def count(history: list[Envelope], minute: int = 10) -> tuple[int, int] | None:
    activity = completion(history, exercise_id=EXERCISE, submission_id=PASSING, passed_at=T0 + timedelta(minutes=minute))
    return None if activity is None else (activity.attempts, activity.duration)


def test_attempts_and_duration_from_the_start_to_the_pass() -> None:
    history = [started(1), executed(2), executed(3, exercise=uuid.uuid4()), executed(5)]
    assert count(history) == (3, 9 * 60)  # two earlier runs of this exercise, and this one


def test_a_first_try_pass_without_a_start_is_one_attempt() -> None:
    assert count([]) == (1, 0)


def test_runs_before_the_latest_start_do_not_count() -> None:
    history = [started(0), executed(1), completed(2), started(4), executed(6)]
    assert count(history) == (2, 6 * 60)


def test_an_exercise_already_completed_since_its_start_completes_nothing_twice() -> None:
    assert count([started(0), executed(1), completed(2)]) is None


def test_this_submissions_own_published_result_is_not_an_earlier_attempt() -> None:
    # A retried submission: its code.executed went out before the retry.
    assert count([started(0), executed(1), executed(2, submission=PASSING)]) == (2, 10 * 60)
