"""A wrong answer through the embedded broker and all three functions.

code.submitted to a catalogue exercise -> code execution grades it (a check fails, the
program does not raise) -> code.executed -> triage -> struggle.detected (logic_error,
a concept of the exercise, the failing check as evidence) -> concepts ->
help.explanation on proactive-help that cites the failing check, expected against got.
The test plays the dispatcher as test_chain.py does.
"""

from __future__ import annotations

import json
import uuid

import pytest

from functions._exercises import DEFAULT_CATALOGUE
from learnflow.events import (
    LEARNING_EVENTS,
    PROACTIVE_HELP,
    STRUGGLE_DETECTED,
    CodeExecuted,
    CodeSubmitted,
    HelpExplanation,
    StruggleDetected,
    StruggleType,
    ce_source,
    from_record,
    load_catalogue,
    new_event,
)

from ..support.functions import StartServer, deliver, follow_up_record, post_event
from ..support.kafka import KafkaProbe

pytestmark = pytest.mark.timeout(180)

COUNTDOWN = uuid.UUID("8495a6b7-c1d2-43e4-b506-0708090a0b08")
ONE_SHORT = (
    "def countdown(n):\n    numbers = []\n    while n > 1:\n        numbers.append(n)\n        n -= 1\n    return numbers\n"
)


def test_a_wrong_submission_ends_in_help_that_cites_the_failing_check(
    function_server: StartServer, kafka_env: dict[str, str], kafka_probe: KafkaProbe
) -> None:
    env = {**kafka_env, "LEARNFLOW_EXERCISES": str(DEFAULT_CATALOGUE)}
    code_execution = function_server("code_execution", env=env)
    triage = function_server("triage", env=env)
    concepts = function_server("concepts", env=kafka_env)

    submission = new_event(
        CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": COUNTDOWN, "code": ONE_SHORT, "language": "python"}
    )
    assert post_event(code_execution, submission, ce_source("frontend")).status_code == 200

    executed_record = follow_up_record(kafka_probe, LEARNING_EVENTS.name, submission.event_id, "code-execution")
    executed = from_record(executed_record, LEARNING_EVENTS)
    assert isinstance(executed, CodeExecuted) and executed.data.error is None
    assert executed.data.grade is not None and not executed.data.grade.passed

    assert deliver(executed_record, LEARNING_EVENTS.name, triage).status_code == 200
    verdict_record = follow_up_record(kafka_probe, STRUGGLE_DETECTED.name, executed.event_id, "triage")
    verdict = from_record(verdict_record, STRUGGLE_DETECTED)
    assert isinstance(verdict, StruggleDetected)
    assert verdict.data.struggle_type is StruggleType.LOGIC_ERROR
    exercise = load_catalogue(DEFAULT_CATALOGUE).get(COUNTDOWN)
    assert exercise is not None and verdict.data.concept in {c.value for c in exercise.concepts}
    evidence = json.loads(verdict_record.value or b"{}")["data"]["evidence"]
    assert evidence["diagnosis"] == "one_item_short"
    assert evidence["check"] == {"name": "countdown(3)", "hidden": False, "expected": "[3, 2, 1]", "got": "[3, 2]"}

    assert deliver(verdict_record, STRUGGLE_DETECTED.name, concepts).status_code == 200
    help_record = follow_up_record(kafka_probe, PROACTIVE_HELP.name, verdict.event_id, "concepts")
    explanation = from_record(help_record, PROACTIVE_HELP)
    assert isinstance(explanation, HelpExplanation) and explanation.user_id == submission.user_id
    body = explanation.data.body
    assert "**Check failed:** countdown(3)" in body
    assert "expected: `[3, 2, 1]`" in body and "got: `[3, 2]`" in body and "**Next step:**" in body
    assert "while n > 0" not in body  # never the solution's code
