"""Completion by the backbone, over the embedded broker and the real sandbox.

A learner's earlier events are published to learning-events; a passing submission then
earns an ``exercise.completed`` whose attempts and duration come from those events, read
back from the learner's partition, and a wrong one earns nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from functions._exercises import DEFAULT_CATALOGUE
from functions.code_execution.limits import Limits
from functions.code_execution.sandbox import Sandbox
from functions.code_execution.service import CodeExecution
from learnflow.events import (
    LEARNING_EVENTS,
    CodeExecuted,
    CodeSubmitted,
    Envelope,
    ExerciseCompleted,
    ExerciseStarted,
    load_catalogue,
    new_event,
)
from learnflow.serverless import KafkaSettings, LearnerHistory, Publisher, learner_events

SHOUT = uuid.UUID("40516273-8d9e-4fa0-b1c2-d3e4f5060704")
RIGHT = 'def shout(text):\n    return text.upper() + "!"\n'
WRONG = 'def shout(text):\n    return text + "!"\n'


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(Limits(), size=1) as sb:
        yield sb


@pytest.fixture(scope="module")
def reader(kafka: KafkaSettings) -> Iterator[LearnerHistory]:
    # One consumer for every read of the module, as a function process keeps it.
    history = LearnerHistory(kafka)
    yield history
    history.close()


@pytest.fixture
def service(sandbox: Sandbox, reader: LearnerHistory) -> CodeExecution:
    def history(user_id: uuid.UUID, since: datetime) -> Sequence[Envelope]:
        return reader.read(LEARNING_EVENTS, user_id, since)

    return CodeExecution(sandbox, Limits(), load_catalogue(DEFAULT_CATALOGUE), history)


def submit(user: uuid.UUID, code: str) -> CodeSubmitted:
    return new_event(CodeSubmitted, user_id=user, data={"exerciseId": SHOUT, "code": code, "language": "python"})


def test_a_pass_completes_the_exercise_counted_from_the_learners_events(service: CodeExecution, kafka: KafkaSettings) -> None:
    user, other = uuid.uuid4(), uuid.uuid4()
    execution = service
    publisher = Publisher("tests", settings=kafka)
    try:
        start = datetime.now(UTC) - timedelta(minutes=5)
        publisher.publish(
            new_event(ExerciseStarted, user_id=user, data={"exerciseId": SHOUT, "duration": 0, "attempts": 0}, timestamp=start)
        )
        for learner in (user, user, other):  # two wrong runs of this learner; another learner's run
            for event in execution.run_submission(submit(learner, WRONG)):
                assert isinstance(event, CodeExecuted) and event.data.grade is not None and not event.data.grade.passed
                publisher.publish(event)
        executed, completed = execution.run_submission(submit(user, RIGHT))
    finally:
        publisher.close()
    assert isinstance(executed, CodeExecuted) and executed.data.grade is not None and executed.data.grade.passed
    assert isinstance(completed, ExerciseCompleted)
    assert completed.user_id == user and completed.data.exercise_id == SHOUT
    assert completed.data.attempts == 3
    assert 5 * 60 - 5 <= completed.data.duration <= 5 * 60 + 60


def test_a_first_pass_with_no_history_is_one_attempt_and_a_retry_yields_the_same_event(service: CodeExecution) -> None:
    execution = service
    submission = submit(uuid.uuid4(), RIGHT)
    first = execution.run_submission(submission)
    again = execution.run_submission(submission)
    assert [type(e) for e in first] == [CodeExecuted, ExerciseCompleted]
    assert first[1].data.attempts == 1  # type: ignore[union-attr]
    assert [e.event_id for e in first] == [e.event_id for e in again]


def test_an_ungraded_or_failing_run_earns_nothing(service: CodeExecution) -> None:
    execution = service
    assert len(execution.run_submission(submit(uuid.uuid4(), WRONG))) == 1
    unknown = new_event(
        CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "code": RIGHT, "language": "python"}
    )
    assert len(execution.run_submission(unknown)) == 1


def test_one_read_with_a_consumer_of_its_own_finds_the_same_events(service: CodeExecution, kafka: KafkaSettings) -> None:
    user = uuid.uuid4()
    publisher = Publisher("tests", settings=kafka)
    try:
        for event in service.run_submission(submit(user, WRONG)):
            publisher.publish(event)
    finally:
        publisher.close()
    since = datetime.now(UTC) - timedelta(minutes=1)
    (only,) = learner_events(LEARNING_EVENTS, user, since, settings=kafka)
    assert isinstance(only, CodeExecuted) and only.user_id == user
