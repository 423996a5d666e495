"""The whole chain through the embedded broker and real functions-framework servers.

code.submitted -> code execution -> code.executed on learning-events -> triage ->
struggle.detected on struggle-detected -> concepts -> help.explanation on
proactive-help. The test plays the dispatcher: it reads each record from its topic
and POSTs it to the next function with the dispatcher's own conversion (the record's
CloudEvent as KafkaSource reads it, sent in binary mode).
"""

from __future__ import annotations

import uuid

from learnflow.events import (
    LEARNING_EVENTS,
    PROACTIVE_HELP,
    STRUGGLE_DETECTED,
    CodeExecuted,
    CodeSubmitted,
    HelpExplanation,
    KafkaRecord,
    StruggleDetected,
    from_record,
    new_event,
)

from ..support.functions import StartServer, deliver, follow_up_record, post_event
from ..support.kafka import KafkaProbe

# Line 2 opens a list comprehension and never closes it.
BROKEN_COMPREHENSION = "numbers = [1, 2, 3]\nsquares = [n * n for n in numbers if n > 1\nprint(squares)\n"


def test_a_broken_list_comprehension_ends_in_a_pushed_explanation(
    function_server: StartServer, kafka_env: dict[str, str], kafka_probe: KafkaProbe
) -> None:
    code_execution = function_server("code_execution", env=kafka_env)
    triage = function_server("triage", env=kafka_env)
    concepts = function_server("concepts", env=kafka_env)
    submission = new_event(
        CodeSubmitted,
        user_id=uuid.uuid4(),
        data={
            "exerciseId": uuid.uuid4(),
            "code": BROKEN_COMPREHENSION,
            "language": "python",
        },
    )

    assert post_event(code_execution, submission, "/learnflow/frontend").status_code == 200

    def runs_submission(record: KafkaRecord) -> bool:
        event = from_record(record, LEARNING_EVENTS)
        return isinstance(event, CodeExecuted) and event.data.submission_id == submission.event_id

    (executed_record,) = kafka_probe.wait_for(LEARNING_EVENTS.name, runs_submission)
    executed = from_record(executed_record, LEARNING_EVENTS)
    assert isinstance(executed, CodeExecuted) and executed.data.error is not None
    assert executed.data.error.type == "SyntaxError"
    assert "list_comprehension" in executed.data.error.constructs

    assert deliver(executed_record, LEARNING_EVENTS.name, triage).status_code == 200
    verdict_record = follow_up_record(kafka_probe, STRUGGLE_DETECTED.name, executed.event_id, "triage")
    verdict = from_record(verdict_record, STRUGGLE_DETECTED)
    assert isinstance(verdict, StruggleDetected)
    assert (verdict.data.struggle_type.value, verdict.data.concept) == ("syntax_error", "list_comprehension")
    assert verdict.data.suggested_action.value == "review_syntax"

    assert deliver(verdict_record, STRUGGLE_DETECTED.name, concepts).status_code == 200
    help_record = follow_up_record(kafka_probe, PROACTIVE_HELP.name, verdict.event_id, "concepts")
    explanation = from_record(help_record, PROACTIVE_HELP)
    assert isinstance(explanation, HelpExplanation)
    assert explanation.user_id == submission.user_id
    assert explanation.data.concept == "list_comprehension"
    assert explanation.data.struggle_type.value == "syntax_error"
    assert explanation.data.source_event_id == verdict.event_id
    assert "[expression for item in iterable if condition]" in explanation.data.body
