"""triage's ``handle``, loaded by functions-framework in this process (only the producer faked)."""

from __future__ import annotations

import json
import logging
import uuid

import pytest

from functions.triage.metrics import UNRECOGNISED as TRIAGE_UNRECOGNISED
from learnflow.events import LEARNING_EVENTS, STRUGGLE_DETECTED, CodeExecuted, StruggleDetected, follow_up_id, new_event

from ...support.in_process import RecordingProducer, function_client, post_event


def _syntax_error_run() -> CodeExecuted:
    return new_event(
        CodeExecuted,
        user_id=uuid.uuid4(),
        data={
            "exerciseId": uuid.uuid4(),
            "submissionId": uuid.uuid4(),
            "status": "error",
            "error": {"type": "SyntaxError", "message": "invalid syntax", "line": 1, "constructs": ["list_comprehension"]},
        },
    )


def test_evidence_is_published_to_struggle_detected_only() -> None:
    producer = RecordingProducer()
    client = function_client("triage", producer)
    event = _syntax_error_run()

    response = post_event(client, event)

    assert response.status_code == 200
    assert [name for name, _ in producer.sent] == [STRUGGLE_DETECTED.name]
    (out,) = producer.events(STRUGGLE_DETECTED)
    assert out.event_id == follow_up_id(event.event_id, "triage")
    assert producer.sent[0][1].key == str(event.user_id).encode()
    assert producer.sent[0][1].header_text("ce_source") == "/learnflow/triage"


def test_a_document_breaking_the_contract_is_poison() -> None:
    producer = RecordingProducer()
    client = function_client("triage", producer)
    document = _syntax_error_run().to_wire_dict()
    document["data"]["status"] = "exploded"

    response = client.post(
        "/",
        headers={
            "ce-specversion": "1.0",
            "ce-id": "1",
            "ce-type": "code.executed",
            "ce-source": "/t",
            "content-type": "application/json",
        },
        data=json.dumps(document),
    )

    assert response.status_code == 400
    assert "data.status" in response.headers["kne-reason"]
    assert producer.sent == []


def test_triage_refuses_its_own_verdicts() -> None:
    # struggle.detected is not a learning event: were it ever routed to triage, it is
    # dead-lettered, never judged again.
    producer = RecordingProducer()
    client = function_client("triage", producer)
    verdict = new_event(
        StruggleDetected,
        user_id=uuid.uuid4(),
        data={"struggleType": "syntax_error", "concept": "lists", "confidence": 0.9, "suggestedAction": "review_syntax"},
    )

    response = post_event(client, verdict)

    assert response.status_code == 400
    assert response.headers["kne-reason"].startswith("eventType: must be one of")
    assert producer.sent == []
    assert "struggle.detected" not in LEARNING_EVENTS.event_types


def test_a_failed_publish_is_retryable() -> None:
    client = function_client("triage", RecordingProducer(fail=True))

    response = post_event(client, _syntax_error_run())

    assert response.status_code == 503
    assert response.headers["kne-reason"]


def _unexplained_run(error_type: str, message: str) -> CodeExecuted:
    return new_event(
        CodeExecuted,
        user_id=uuid.uuid4(),
        data={
            "exerciseId": uuid.uuid4(),
            "submissionId": uuid.uuid4(),
            "status": "error",
            "error": {"type": error_type, "message": message, "line": 2, "lineText": "x = [1, 2] ["},
            "code": "secret_number = 42\nx = [1, 2] [\n",
        },
    )


def test_an_error_the_table_cannot_explain_is_counted_by_type_and_logged_without_the_code(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = function_client("triage", RecordingProducer())
    counted = TRIAGE_UNRECOGNISED.labels(exception_type="SyntaxError")
    other = TRIAGE_UNRECOGNISED.labels(exception_type="other")
    before, before_other = counted._value.get(), other._value.get()

    with caplog.at_level(logging.INFO, logger="functions.triage.unrecognised"):
        assert post_event(client, _unexplained_run("SyntaxError", "invalid syntax")).status_code == 200
        assert post_event(client, _unexplained_run("LearnersOwnError", "boom")).status_code == 200

    assert counted._value.get() == before + 1
    assert other._value.get() == before_other + 1  # a learner's own class: no new series
    assert "SyntaxError: invalid syntax" in caplog.text
    assert "secret_number" not in caplog.text
