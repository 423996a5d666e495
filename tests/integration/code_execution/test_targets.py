"""The HTTP adapters in-process: refusal -> 503, Kafka down -> answered and counted."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from cloudevents.http import CloudEvent
from flask import Flask, request
from prometheus_client import REGISTRY
from werkzeug.exceptions import HTTPException

from functions.code_execution.layers import Level
from functions.code_execution.limits import Limits
from functions.code_execution.sandbox import Sandbox
from functions.code_execution.service import PRODUCER, CodeExecution
from functions.code_execution.targets import PUBLISHED_HEADER, execute_request, guarded
from learnflow.events import CODE_SUBMITTED, CodeSubmitted, Envelope, PublishError, new_event
from learnflow.serverless import Publisher, cloud_event_function

LIMITS = Limits(cpu_seconds=1, wall_seconds=3.0)
app = Flask(__name__)


class DownPublisher(Publisher):
    """Kafka is unreachable: every publish fails the way the real publisher reports it."""

    def __init__(self) -> None:
        super().__init__("code-execution")
        self.attempts: list[Envelope] = []

    def publish(self, event: Envelope, topic: object = None) -> None:
        self.attempts.append(event)
        raise PublishError("could not publish to 'learning-events': KafkaTimeoutError: broker down")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(LIMITS, size=1) as sb:
        yield sb


def submission() -> CodeSubmitted:
    return new_event(
        CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "code": "print(2)", "language": "python"}
    )


def unpublished() -> float:
    return REGISTRY.get_sample_value("learnflow_code_execution_unpublished_results_total", {"reason": "publish_failed"}) or 0.0


def test_execute_answers_when_kafka_is_down_and_counts_it(sandbox: Sandbox) -> None:
    publisher, before = DownPublisher(), unpublished()
    event = submission()
    with app.test_request_context("/", method="POST", data=event.to_json_bytes(), content_type="application/json"):
        response = execute_request(request, CodeExecution(sandbox, LIMITS), publisher)
    assert response.status_code == 200
    assert response.headers[PUBLISHED_HEADER] == "false"
    assert b'"stdout":"2\\n"' in response.get_data()
    assert len(publisher.attempts) == 1 and unpublished() == before + 1


def test_a_sandbox_below_its_minimum_answers_503_on_both_targets() -> None:
    with Sandbox(LIMITS, size=1, seccomp=False, landlock=False, min_level=Level.L2) as weak:
        service, event = CodeExecution(weak, LIMITS), submission()
        with app.test_request_context("/", method="POST", data=event.to_json_bytes(), content_type="application/json"):
            with pytest.raises(HTTPException) as direct:
                execute_request(request, service, DownPublisher())
        ce = CloudEvent({"type": "code.submitted", "source": "/tests", "id": str(event.event_id)}, event.to_wire_dict())
        handle = cloud_event_function(CODE_SUBMITTED, guarded(service), producer=PRODUCER, publisher=DownPublisher())
        with app.test_request_context("/", method="POST"):
            with pytest.raises(HTTPException) as delivered:
                handle(ce)
    for exc in (direct.value, delivered.value):
        assert exc.response is not None and exc.response.status_code == 503
        assert "SANDBOX_MIN_LEVEL=L2" in exc.response.headers["kne-reason"]
