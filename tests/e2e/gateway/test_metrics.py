"""The gateway's /metrics: open streams, pushes and their latency, refusals by status, submissions published."""

from __future__ import annotations

import time
import uuid

import httpx
from prometheus_client.parser import text_string_to_metric_families

from learnflow.local._gateway_server import GatewayServer

from ...support.learner_events import code_executed, help_explanation
from ...support.sse import SseStream
from .conftest import Writer, new_learner


def _samples(client: httpx.Client) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_pushes_refusals_publishes_and_streams_are_counted(gateway: GatewayServer, client: httpx.Client, writer: Writer):
    before = _samples(client)
    learner = new_learner()
    with SseStream(f"{gateway.url}learners/{learner.user_id}/events", token=learner.token) as stream:
        assert _value(_samples(client), "learnflow_gateway_open_streams") >= 1
        writer.write(code_executed(learner.user_id), help_explanation(learner.user_id))
        assert len(stream.take(2)) == 2
    posted = client.post(
        f"/learners/{learner.user_id}/submissions",
        headers=learner.headers,
        json={"exerciseId": str(uuid.uuid4()), "code": "print(1)", "language": "python"},
    )
    assert posted.status_code == 202
    assert client.post(f"/learners/{uuid.uuid4()}/submissions", json={}).status_code == 401
    # The pushes are counted once each write returns: the stream saw them, the scrape may lag by a write.
    deadline = time.monotonic() + 10
    while True:
        after = _samples(client)
        pushed = {
            kind: _value(after, "learnflow_gateway_events_pushed_total", event_type=kind, replayed="false")
            - _value(before, "learnflow_gateway_events_pushed_total", event_type=kind, replayed="false")
            for kind in ("code.executed", "help.explanation")
        }
        if all(n >= 1 for n in pushed.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert all(n >= 1 for n in pushed.values()), pushed
    for kind in ("code.executed", "help.explanation"):
        count = "learnflow_gateway_push_latency_seconds_count"
        assert _value(after, count, event_type=kind) > _value(before, count, event_type=kind)
    published = "learnflow_gateway_submissions_published_total"
    assert _value(after, published, event_type="code.submitted") > _value(before, published, event_type="code.submitted")
    refused = "learnflow_gateway_refusals_total"
    assert _value(after, refused, status="401") > _value(before, refused, status="401")
