"""The embedded default: OTLP in, spans kept, one trace found and laid out as a waterfall."""

from __future__ import annotations

import io

from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from rich.console import Console
from werkzeug.test import Client

from learnflow.local.traces import Receiver, SpanRecord, SpanStore, find_trace, render, spans_of, traces_url, waterfall
from learnflow.local.traces._waterfall import detail


def _otlp_body(service: str = "triage") -> tuple[bytes, str]:
    """A real export request: spans made by an SDK provider of its own, encoded as the exporter does."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("process learning-events", kind=SpanKind.CONSUMER) as parent:
        parent.set_attribute("messaging.message.id", "event-1")
        with tracer.start_as_current_span("send struggle-detected", kind=SpanKind.PRODUCER) as child:
            child.set_status(StatusCode.ERROR)
    trace_id = format(parent.get_span_context().trace_id, "032x")
    return encode_spans(exporter.get_finished_spans()).SerializeToString(), trace_id


def _span(name: str, span_id: str, parent: str | None, start: int, end: int, **attributes: str) -> SpanRecord:
    return SpanRecord(
        trace_id="a" * 32,
        span_id=span_id,
        parent_span_id=parent,
        name=name,
        kind="internal",
        service="s",
        start_ns=start,
        end_ns=end,
        attributes=attributes,
    )


def test_an_otlp_request_becomes_span_records_with_service_kind_parent_and_status():
    body, trace_id = _otlp_body()
    process, send = sorted(spans_of(body), key=lambda s: s.start_ns)
    assert (process.name, process.kind, process.service, process.trace_id) == (
        "process learning-events",
        "consumer",
        "triage",
        trace_id,
    )
    assert process.attributes == {"messaging.message.id": "event-1"} and process.parent_span_id is None
    assert (send.kind, send.parent_span_id, send.error) == ("producer", process.span_id, True)


def test_a_trace_is_found_by_trace_id_event_id_or_the_key_of_its_latest_trace():
    first = _span("send", "1" * 16, None, 1, 2, **{"messaging.kafka.message.key": "user"})
    later = first.model_copy(update={"trace_id": "b" * 32, "span_id": "2" * 16, "start_ns": 5, "end_ns": 6})
    event = _span("process", "3" * 16, None, 3, 4, **{"messaging.message.id": "E-1"})
    spans = [first, later, event]
    assert find_trace(spans, "a" * 32) == "a" * 32
    assert find_trace(spans, "e-1") == "a" * 32, "ids are compared case-insensitively"
    assert find_trace(spans, "user") == "b" * 32
    assert find_trace(spans, "nobody") is None


def test_the_waterfall_puts_each_span_under_its_parent_in_order_of_start_and_keeps_orphans():
    spans = [
        _span("push", "5" * 16, "4" * 16, 90, 95),
        _span("POST", "1" * 16, "f" * 16, 0, 10),  # its parent is the browser's: not here
        _span("send b", "3" * 16, "1" * 16, 6, 8),
        _span("send a", "2" * 16, "1" * 16, 2, 5),
        _span("process", "4" * 16, "3" * 16, 20, 80),
    ]
    rows = waterfall(spans)
    assert [(r.depth, r.span.name) for r in rows] == [(0, "POST"), (1, "send a"), (1, "send b"), (2, "process"), (3, "push")]
    assert rows[0].orphan and not rows[1].orphan
    assert [r.offset_ms for r in rows] == [0.0, 2e-6, 6e-6, 2e-5, 9e-5]
    assert waterfall([]) == []


def test_the_rendered_waterfall_names_every_span_and_the_trace():
    spans = [_span("POST /x", "1" * 16, None, 0, 2_000_000), _span("send t", "2" * 16, "1" * 16, 500_000, 1_500_000)]
    console = Console(file=io.StringIO(), width=160)
    console.print(render("a" * 32, spans))
    text = console.file.getvalue()
    assert f"trace {'a' * 32}: 2 spans, 2.0 ms" in text
    assert "POST /x" in text and "  send t" in text and "1.0" in text


def test_the_detail_column_tells_hops_apart():
    attempt = _span("POST", "1" * 16, None, 0, 1, **{"http.response.status_code": 503, "http.request.resend_count": 1})
    record = _span("process t", "2" * 16, None, 0, 1, **{"messaging.destination.partition.id": "2", "messaging.kafka.offset": 7})
    assert detail(attempt) == "HTTP 503 retry 1"
    assert detail(record) == "p2@7"
    assert detail(_span("sandbox run", "3" * 16, None, 0, 1)) == ""


def test_the_receiver_takes_otlp_and_answers_a_query():
    store = SpanStore()
    client = Client(Receiver(store))
    body, trace_id = _otlp_body()
    assert client.post("/v1/traces", data=body, headers={"content-type": "application/x-protobuf"}).status_code == 200
    answer = client.get("/learnflow/traces/event-1")
    assert answer.status_code == 200 and answer.json["trace_id"] == trace_id and len(answer.json["spans"]) == 2
    assert client.get("/learnflow/traces/nothing").status_code == 404
    assert client.post("/v1/traces", data=b"\xff\xff", headers={"content-type": "application/x-protobuf"}).status_code == 400
    assert client.post("/v1/traces", data=b"{}", headers={"content-type": "application/json"}).status_code == 415


def test_the_store_forgets_the_oldest_spans_first():
    store = SpanStore(capacity=2)
    store.add([_span(n, str(i) * 16, None, i, i) for i, n in enumerate(["a", "b", "c"])])
    assert [s.name for s in store.snapshot()] == ["b", "c"]


def test_traces_url_appends_the_signal_path_once():
    assert traces_url("http://collector:4318") == "http://collector:4318/v1/traces"
    assert traces_url("http://collector:4318/") == "http://collector:4318/v1/traces"
    assert traces_url("http://collector:4318/v1/traces") == "http://collector:4318/v1/traces"
