"""code execution under functions-framework: ``handle`` and ``execute`` as real servers,
CloudEvents made by the cloudevents SDK, results read back from the embedded broker."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from cloudevents.conversion import to_binary, to_structured
from cloudevents.http import CloudEvent

from learnflow.events import LEARNING_EVENTS, CodeExecuted, CodeSubmitted, ExecutionStatus, follow_up_id, from_record, new_event
from learnflow.local._function_server import FunctionServer
from learnflow.local._process import free_port

from ..support.kafka import KafkaProbe

StartServer = Callable[..., FunctionServer]
PRODUCER = "code-execution"
# Small limits keep the suite fast; one zygote is plenty for sequential requests.
SANDBOX_ENV = {"SANDBOX_CPU_SECONDS": "1", "SANDBOX_WALL_SECONDS": "3", "SANDBOX_POOL_SIZE": "1"}


def submission(code: str = "print('hello')", language: str = "python") -> CodeSubmitted:
    return new_event(CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "code": code, "language": language})


def cloudevent(event: CodeSubmitted, ce_type: str | None = None) -> CloudEvent:
    return CloudEvent({"type": ce_type or event.event_type, "source": "/tests", "id": str(event.event_id)}, event.to_wire_dict())


def post(server: FunctionServer, headers: dict[str, str], body: Any) -> httpx.Response:
    return httpx.post(server.url, headers=headers, content=body, timeout=30)


def published(probe: KafkaProbe, cause: CodeSubmitted) -> CodeExecuted:
    expected = str(follow_up_id(cause.event_id, PRODUCER))
    records = probe.wait_for(LEARNING_EVENTS.name, lambda r: r.header_text("ce_id") == expected)
    assert records, f"no code.executed {expected} on {LEARNING_EVENTS.name}"
    record = records[0]
    assert record.key == str(cause.user_id).encode()
    event = from_record(record, LEARNING_EVENTS)
    assert isinstance(event, CodeExecuted)
    return event


@pytest.fixture
def handle(function_server: StartServer, kafka_env: dict[str, str]) -> FunctionServer:
    return function_server("code_execution", "handle", "cloudevent", env={**kafka_env, **SANDBOX_ENV})


@pytest.fixture
def execute(function_server: StartServer, kafka_env: dict[str, str]) -> FunctionServer:
    return function_server("code_execution", "execute", "http", env={**kafka_env, **SANDBOX_ENV})


@pytest.mark.parametrize("mode", ["binary", "structured", "kafka_wrapper"])
def test_handle_publishes_code_executed(handle: FunctionServer, kafka_probe: KafkaProbe, mode: str) -> None:
    event = submission("xs = [1, 2]\nprint(xs[5])\n")
    if mode == "structured":
        headers, body = to_structured(cloudevent(event))
    else:
        headers, body = to_binary(cloudevent(event, "dev.knative.kafka.event" if mode == "kafka_wrapper" else None))

    response = post(handle, headers, body)

    assert response.status_code in (200, 204), response.text
    result = published(kafka_probe, event).data
    assert result.submission_id == event.event_id
    assert result.status is ExecutionStatus.ERROR
    assert result.error is not None and (result.error.type, result.error.line) == ("IndexError", 2)
    assert result.constructs == ["indexing", "print_call", "assignment"]
    assert "seccomp" in result.sandbox_layers or "rlimits" in result.sandbox_layers


def test_handle_answers_poison_with_400_and_a_reason(handle: FunctionServer) -> None:
    event = submission()
    document = event.to_wire_dict()
    del document["data"]["code"]
    headers, body = to_binary(CloudEvent({"type": "code.submitted", "source": "/tests", "id": "poison-1"}, document))

    response = post(handle, headers, body)

    assert response.status_code == 400
    assert "data.code" in response.headers["kne-reason"]
    assert response.json()["fields"][0]["path"] == "data.code"


def test_execute_answers_with_the_result_as_a_cloudevent(execute: FunctionServer, kafka_probe: KafkaProbe) -> None:
    event = submission("print(sum(x * x for x in range(4)))")

    response = post(execute, {"content-type": "application/json"}, event.to_json_bytes())  # the plain seed JSON

    assert response.status_code == 200, response.text
    assert response.headers["ce-type"] == "code.executed"
    assert response.headers["ce-id"] == str(follow_up_id(event.event_id, PRODUCER))
    assert response.headers["learnflow-published"] == "true"
    answer = CodeExecuted.model_validate_json(response.content)
    assert (answer.data.status, answer.data.stdout) == (ExecutionStatus.OK, "14\n")
    assert answer.data.constructs == ["generator_expression", "print_call"]
    assert published(kafka_probe, event) == answer


def test_execute_accepts_cloudevents_and_rejects_poison(execute: FunctionServer) -> None:
    for make in (to_binary, to_structured):
        headers, body = make(cloudevent(submission("print(1)", language="ruby")))
        response = post(execute, headers, body)
        assert response.status_code == 200
        assert json.loads(response.content)["data"]["status"] == "unsupported_language"

    response = post(execute, {"content-type": "application/json"}, b'{"eventType": "code.submitted"}')

    assert response.status_code == 400 and response.headers["kne-reason"]


def test_without_a_broker_handle_is_retried_and_execute_still_answers(function_server: StartServer) -> None:
    nowhere = {"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}", "LEARNFLOW_PUBLISH_TIMEOUT_S": "1", **SANDBOX_ENV}
    handle = function_server("code_execution", "handle", "cloudevent", env=nowhere)
    execute = function_server("code_execution", "execute", "http", env=nowhere)
    event = submission()

    retried = post(handle, *to_binary(cloudevent(event)))
    answered = post(execute, *to_binary(cloudevent(event)))

    assert retried.status_code == 503 and "learning-events" in retried.headers["kne-reason"]
    assert answered.status_code == 200
    assert answered.headers["learnflow-published"] == "false"
    assert "learning-events" in answered.headers["learnflow-publish-error"]
    assert json.loads(answered.content)["data"]["stdout"] == "hello\n"
