"""Bodies the page sends, as seed events: named fields on the way in, the seed's shape on the way out."""

from __future__ import annotations

import uuid

import pytest

from learnflow.events import CODE_SUBMITTED, LEARNING_EVENTS, InvalidEvent
from learnflow.gateway import activity, submission

LEARNER = uuid.uuid4()
EXERCISE = str(uuid.uuid4())


def test_a_submission_is_a_code_submitted_event_of_that_learner() -> None:
    event = submission(LEARNER, {"exerciseId": EXERCISE, "code": "print(1)", "language": "python"})
    assert CODE_SUBMITTED.parse(event.to_json_bytes()) == event
    assert event.user_id == LEARNER and event.event_type == "code.submitted"


@pytest.mark.parametrize("kind", ["exercise.started", "exercise.completed", "help.requested"])
def test_each_activity_is_its_learning_event(kind: str) -> None:
    event = activity(LEARNER, {"eventType": kind, "exerciseId": EXERCISE, "duration": 12, "attempts": 2})
    assert LEARNING_EVENTS.parse(event.to_json_bytes()) == event
    assert event.event_type == kind


def test_two_submissions_get_two_event_ids() -> None:
    body = {"exerciseId": EXERCISE, "code": "", "language": "python"}
    assert submission(LEARNER, body).event_id != submission(LEARNER, body).event_id


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ({}, {"exerciseId", "code", "language"}),
        ({"exerciseId": "nope", "code": "x", "language": "python"}, {"exerciseId"}),
        ({"exerciseId": EXERCISE, "code": 3, "language": "python"}, {"code"}),
        ({"exerciseId": EXERCISE, "code": "x" * (64 * 1024 + 1), "language": "python"}, {"code"}),
        ({"exerciseId": EXERCISE, "code": "x", "language": ""}, {"language"}),
        (["not", "an", "object"], {"<body>"}),
    ],
)
def test_a_bad_submission_names_each_field_as_the_body_did(body: object, paths: set[str]) -> None:
    with pytest.raises(InvalidEvent) as caught:
        submission(LEARNER, body)
    assert {e.path for e in caught.value.errors} == paths


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ({"exerciseId": EXERCISE, "duration": 1, "attempts": 1}, {"eventType"}),
        ({"eventType": "code.executed", "exerciseId": EXERCISE, "duration": 1, "attempts": 1}, {"eventType"}),
        ({"eventType": "help.requested", "exerciseId": EXERCISE, "duration": -1, "attempts": 1}, {"duration"}),
        ({"eventType": "help.requested", "exerciseId": EXERCISE, "duration": 1}, {"attempts"}),
    ],
)
def test_a_bad_activity_names_each_field(body: object, paths: set[str]) -> None:
    with pytest.raises(InvalidEvent) as caught:
        activity(LEARNER, body)
    assert {e.path for e in caught.value.errors} == paths
