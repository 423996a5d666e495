"""The dispatcher and the ingress continue a record's trace, as Knative's data plane does."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping

from opentelemetry.trace import SpanKind, StatusCode
from werkzeug.test import Client

from learnflow.local.manifests import KafkaSink
from learnflow.local.runtime.ingress import Ingress
from learnflow.local.runtime.record_delivery import RecordDelivery
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.stats import SourceStats
from learnflow.local.runtime.transport import HttpAnswer
from learnflow.serverless import Publisher, kafka_settings

from ...support.in_process import RecordingProducer
from ...support.seed import seed_document
from ..runtime.fakes import TOPIC, FakeRecord, event, source

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


class HeaderTransport:
    """Answers each POST with the next status of ``statuses`` and keeps the request headers."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[dict[str, str]] = []

    def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> HttpAnswer:
        self.requests.append(dict(headers))
        return HttpAnswer(self.statuses.pop(0), {}, b"{}")

    def close(self) -> None:
        pass


def _deliver(transport: HeaderTransport, *headers: tuple[str, bytes]) -> None:
    src = source(retry=2)
    producer = RecordingProducer()
    writer = SinkWriter(src.delivery.dead_letter_sink, Publisher("runtime", kafka_settings(), lambda _s: producer))
    delivery = RecordDelivery(src, "http://fn/", writer, SourceStats(), threading.Event(), function="fn", transport=transport)
    record = event("e1")
    assert delivery.deliver(TOPIC, 2, FakeRecord(5, record.key, record.value, [*record.headers, *headers]))


def test_the_dispatcher_processes_a_record_in_its_trace_and_posts_every_attempt_in_that_span(spans):
    transport = HeaderTransport(503, 200)
    _deliver(transport, ("traceparent", PARENT.encode()))
    finished = spans.get_finished_spans()
    [process] = finished
    assert process.name == f"process {TOPIC}", "one span per record: no span of its own for each POST"
    assert process.kind is SpanKind.CONSUMER and format(process.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert process.attributes["messaging.kafka.offset"] == 5
    assert process.attributes["messaging.destination.partition.id"] == "2"
    assert process.attributes["messaging.message.id"] == "e1"
    assert process.attributes["cloudevents.event_id"] == "e1"
    assert process.attributes["http.response.status_code"] == 200, "the last attempt's"
    assert process.attributes["http.request.resend_count"] == 1
    [failed] = process.events
    assert failed.name == "delivery attempt failed"
    assert dict(failed.attributes) == {"http.request.resend_count": 0, "error.type": "503", "http.response.status_code": 503}
    assert process.status.status_code is StatusCode.UNSET, "delivered in the end"
    for request in transport.requests:
        assert request["traceparent"].startswith(f"00-{TRACE_ID}-{process.context.span_id:016x}-")


def test_a_record_delivered_at_once_has_its_status_and_no_retry_or_event(spans):
    _deliver(HeaderTransport(200))
    [process] = spans.get_finished_spans()
    assert process.attributes["http.response.status_code"] == 200
    assert "http.request.resend_count" not in process.attributes and not process.events


def test_a_record_with_only_the_cloudevents_extension_is_continued_too(spans):
    transport = HeaderTransport(200)
    _deliver(transport, ("ce_traceparent", PARENT.encode()))
    assert transport.requests[0]["traceparent"].split("-")[1] == TRACE_ID
    assert transport.requests[0]["ce-traceparent"] == PARENT, "the extension itself passes through unchanged"


def test_a_dead_letter_carries_the_trace_of_the_record(spans):
    src = source(retry=0)
    producer = RecordingProducer()
    writer = SinkWriter(src.delivery.dead_letter_sink, Publisher("runtime", kafka_settings(), lambda _s: producer))
    delivery = RecordDelivery(
        src, "http://fn/", writer, SourceStats(), threading.Event(), function="fn", transport=HeaderTransport(400)
    )
    record = event("e2")
    assert delivery.deliver(
        TOPIC, 0, FakeRecord(0, record.key, record.value, [*record.headers, ("traceparent", PARENT.encode())])
    )
    [(_topic, dead)] = producer.sent
    assert dead.header_text("traceparent").split("-")[1] == TRACE_ID
    [process] = [s for s in spans.get_finished_spans() if s.name == f"process {TOPIC}"]
    assert process.status.status_code is StatusCode.ERROR
    assert process.attributes["http.response.status_code"] == 400
    assert [e.attributes["error.type"] for e in process.events] == ["400"]


def test_the_ingress_writes_the_requests_trace_into_the_record(spans):
    producer = RecordingProducer()
    sink = KafkaSink(name="in", namespace="learnflow", topic="code-submitted", bootstrap_servers=("b:9092",))
    client = Client(Ingress([SinkWriter(sink, Publisher("runtime", kafka_settings(), lambda _s: producer))]))
    document = seed_document("code-submitted.json")
    headers = {"ce-specversion": "1.0", "ce-id": "e-9", "ce-type": "code.submitted", "ce-source": "/tests", "traceparent": PARENT}
    answer = client.post("/learnflow/in", headers={**headers, "content-type": "application/json"}, data=json.dumps(document))
    assert answer.status_code == 202
    [(_topic, record)] = producer.sent
    [send] = [s for s in spans.get_finished_spans() if s.name == "send code-submitted"]
    assert format(send.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert record.header_text("traceparent").startswith(f"00-{TRACE_ID}-{send.context.span_id:016x}-")
