"""triage under functions-framework, driven by CloudEvents over HTTP, publishing to the broker."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from learnflow.events import (
    LEARNING_EVENTS,
    STRUGGLE_DETECTED,
    CodeExecuted,
    Envelope,
    ExerciseCompleted,
    ExerciseStarted,
    HelpRequested,
    StruggleDetected,
    follow_up_id,
    from_record,
    new_event,
)
from learnflow.local._function_server import FunctionServer
from learnflow.local._process import free_port

from ..support.cloudevents import binary_headers
from ..support.functions import StartServer, follow_up_record
from ..support.functions import post_event as post_binary
from ..support.kafka import KafkaProbe


def post_structured(server: FunctionServer, event: Envelope) -> httpx.Response:
    """The Dapr shape: application/cloudevents+json with the seed document as data."""
    envelope = {
        "specversion": "1.0",
        "id": str(event.event_id),
        "type": event.event_type,
        "source": "/dapr",
        "datacontenttype": "application/json",
        "data": event.to_wire_dict(),
    }
    return httpx.post(
        server.url, headers={"content-type": "application/cloudevents+json"}, content=json.dumps(envelope), timeout=30
    )


def activity(model: type[Envelope], user: uuid.UUID, attempts: int, duration: int) -> Any:
    return new_event(model, user_id=user, data={"exerciseId": uuid.uuid4(), "attempts": attempts, "duration": duration})


def test_a_syntax_error_run_becomes_struggle_detected(
    function_server: StartServer, kafka_env: dict[str, str], kafka_probe: KafkaProbe
) -> None:
    server = function_server("triage", env=kafka_env)
    run = new_event(
        CodeExecuted,
        user_id=uuid.uuid4(),
        data={
            "exerciseId": uuid.uuid4(),
            "submissionId": uuid.uuid4(),
            "status": "error",
            "error": {"type": "SyntaxError", "message": "invalid syntax", "line": 1, "constructs": ["list_comprehension"]},
        },
    )

    assert post_binary(server, run).status_code == 200

    record = follow_up_record(kafka_probe, STRUGGLE_DETECTED.name, run.event_id, "triage")
    verdict = from_record(record, STRUGGLE_DETECTED)
    assert isinstance(verdict, StruggleDetected)
    assert verdict.data.to_wire_dict() == {
        "struggleType": "syntax_error",
        "concept": "list_comprehension",
        "confidence": 0.9,
        "suggestedAction": "review_syntax",
        "evidence": {
            "sourceEventType": "code.executed",
            "status": "error",
            "exceptionType": "SyntaxError",
            "message": "invalid syntax",
            "line": 1,
            "lineText": None,
            "constructs": ["list_comprehension"],
            "diagnosis": "unrecognised",  # no program on the event, and the message alone says nothing specific
        },
    }
    assert record.key == str(run.user_id).encode()
    assert record.header_text("ce_source") == "/learnflow/triage"


def test_what_is_not_evidence_publishes_nothing(
    function_server: StartServer, kafka_env: dict[str, str], kafka_probe: KafkaProbe
) -> None:
    server = function_server("triage", env=kafka_env)
    user = uuid.uuid4()
    started = activity(ExerciseStarted, user, attempts=0, duration=0)
    clean = activity(ExerciseCompleted, user, attempts=1, duration=45)
    help_request = activity(HelpRequested, user, attempts=2, duration=300)

    # Each answer comes after triage published (or did not): by the time the help
    # request's verdict is readable, anything the first two produced would be too.
    assert post_binary(server, started).status_code == 200
    assert post_structured(server, clean).status_code == 200
    assert post_structured(server, help_request).status_code == 200

    help_id = str(follow_up_id(help_request.event_id, "triage"))
    assert kafka_probe.wait_for(STRUGGLE_DETECTED.name, lambda r: r.header_text("ce_id") == help_id)
    silent = {str(follow_up_id(e.event_id, "triage")) for e in (started, clean)}
    assert [r for r in kafka_probe.records(STRUGGLE_DETECTED.name) if r.header_text("ce_id") in silent] == []
    # Triage never writes to the topic it reads.
    assert [r for r in kafka_probe.records(LEARNING_EVENTS.name) if r.header_text("ce_source") == "/learnflow/triage"] == []


def test_poison_is_refused_with_its_reason(function_server: StartServer, kafka_env: dict[str, str]) -> None:
    server = function_server("triage", env=kafka_env)
    document = activity(HelpRequested, uuid.uuid4(), attempts=1, duration=10).to_wire_dict()
    document["data"]["attempts"] = -3

    response = httpx.post(
        server.url,
        content=json.dumps(document),
        timeout=30,
        headers=binary_headers("help.requested", "poison-1"),
    )

    assert response.status_code == 400
    assert "data.attempts" in response.headers["kne-reason"]
    assert response.json()["fields"][0]["path"] == "data.attempts"


def test_an_unreachable_broker_answers_503(function_server: StartServer) -> None:
    nowhere = {"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}", "LEARNFLOW_PUBLISH_TIMEOUT_S": "1"}
    server = function_server("triage", env=nowhere)

    response = post_binary(server, activity(HelpRequested, uuid.uuid4(), attempts=1, duration=10))

    assert response.status_code == 503
    assert "struggle-detected" in response.headers["kne-reason"]
