"""Every per-learner limit reached on the real gateway over HTTP, with its status and message.

One gateway with small bounds: one stream, two submissions in flight, three a minute,
2 KiB bodies. Nothing runs code here, so a submission stays in flight until the test
writes its ``code.executed`` to learning-events, as code execution would.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx
import pytest

from learnflow.events import CODE_SUBMITTED
from learnflow.local._gateway_server import GatewayServer

from ...support.kafka import KafkaProbe
from ...support.learner_events import code_executed
from ...support.sse import SseStream
from .conftest import Learner, Writer, new_learner

LIMITS = {
    "LEARNFLOW_GATEWAY_MAX_STREAMS": "1",
    "LEARNFLOW_GATEWAY_MAX_IN_FLIGHT": "2",
    "LEARNFLOW_GATEWAY_MAX_PER_MINUTE": "3",
    "LEARNFLOW_GATEWAY_MAX_BODY_BYTES": "2048",
}


@pytest.fixture
def limited(start_gateway: Callable[..., GatewayServer]) -> GatewayServer:
    return start_gateway(**LIMITS)


def _submit(http: httpx.Client, learner: Learner) -> httpx.Response:
    body = {"exerciseId": str(uuid.uuid4()), "code": "print('hi')", "language": "python"}
    return http.post(f"/learners/{learner.user_id}/submissions", json=body, headers=learner.headers)


def _executed(writer: Writer, learner: Learner, submission_id: str) -> None:
    writer.write(code_executed(learner.user_id, submissionId=submission_id))


def _until(check: Callable[[], httpx.Response], status: int, timeout: float = 10.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = check()
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def test_submissions_in_flight_then_per_minute_are_429_with_retry_after(
    limited: GatewayServer, writer: Writer, kafka_probe: KafkaProbe
) -> None:
    learner = new_learner()
    with httpx.Client(base_url=limited.url, timeout=15) as http:
        a, b = _submit(http, learner), _submit(http, learner)
        assert a.status_code == b.status_code == 202
        busy = _submit(http, learner)
        assert busy.status_code == 429
        assert busy.json()["error"] == "too_many_requests" and busy.json()["limit"] == "in_flight"
        assert "2 of this learner's runs are still running" in busy.json()["reason"]
        assert busy.headers["retry-after"] == "2" and busy.json()["retryAfter"] == 2

        _executed(writer, learner, a.json()["eventId"])  # its result reaches the gateway's feed
        c = _until(lambda: _submit(http, learner), 202)
        assert c.status_code == 202, c.text

        _executed(writer, learner, b.json()["eventId"])
        time.sleep(1.0)  # the result is read; in flight is now 1 of 2, but 3 were sent this minute
        rate = _submit(http, learner)
        assert rate.status_code == 429 and rate.json()["limit"] == "per_minute", rate.text
        assert "3 runs in the last 60 s" in rate.json()["reason"]
        assert 1 <= int(rate.headers["retry-after"]) <= 60

        other = new_learner()  # one learner's bounds never touch another's
        assert _submit(http, other).status_code == 202

    accepted = {a.json()["eventId"], b.json()["eventId"], c.json()["eventId"]}
    records = kafka_probe.wait_for(CODE_SUBMITTED.name, lambda r: r.key == str(learner.user_id).encode(), count=3)
    assert {CODE_SUBMITTED.parse(r.value).event_id.hex for r in records} == {uuid.UUID(i).hex for i in accepted}


def test_a_second_stream_is_429_and_closing_the_first_frees_it(limited: GatewayServer) -> None:
    learner = new_learner()
    url = f"{limited.url}learners/{learner.user_id}/events"
    with SseStream(url, token=learner.token) as first:
        assert first.status == 200
        with SseStream(url, token=learner.token) as second:
            assert second.status == 429
            assert "already has 1 open streams" in second.body
    deadline = time.monotonic() + 10
    while True:  # the gateway sees the first stream's connection close, then frees its slot
        with SseStream(url, token=learner.token) as third:
            if third.status == 200 or time.monotonic() > deadline:
                assert third.status == 200
                break
        time.sleep(0.2)


def test_a_body_past_the_bound_is_413_with_or_without_a_length(limited: GatewayServer) -> None:
    learner = new_learner()
    path = f"/learners/{learner.user_id}/submissions"
    body = b'{"exerciseId": "' + b"x" * 3000 + b'"}'
    headers = {**learner.headers, "content-type": "application/json"}
    with httpx.Client(base_url=limited.url, timeout=15) as http:
        sized = http.post(path, content=body, headers=headers)
        assert sized.status_code == 413
        assert sized.json()["error"] == "too_large" and "more than the 2048 a learner may send" in sized.json()["reason"]
        chunked = http.post(path, content=iter([body[:1000], body[1000:]]), headers=headers)  # no Content-Length
        assert chunked.status_code == 413 and chunked.json()["limit"] == 2048
        assert _submit(http, learner).status_code == 202  # a refused body took no slot
