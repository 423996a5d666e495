"""The hand-written OTLP encoding makes the message the SDK's encoder makes, and the exporter delivers it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState

from learnflow.local.traces import ReceiverServer
from learnflow.serverless._otlp_wire import encode_request
from learnflow.serverless._span_exporter import ENCODER_VARIABLE, WireSpanExporter


def _finished(provider: TracerProvider, exporter: InMemorySpanExporter) -> tuple[ReadableSpan, ...]:
    scoped = provider.get_tracer("learnflow", "1.2", schema_url="https://opentelemetry.io/schemas/1.44.0")
    other = provider.get_tracer("learnflow.local.runtime")
    remote = SpanContext(0x1234, 0x99, is_remote=True, trace_flags=TraceFlags(1), trace_state=TraceState([("vendor", "x")]))
    with scoped.start_as_current_span("POST /learners/{user_id}/submissions", kind=SpanKind.SERVER) as root:
        root.add_event("exception", {"exception.type": "ValueError", "n": 3, "ratio": 0.5, "ok": True, "list": ["a", "b"]})
        with scoped.start_as_current_span(
            "send code-submitted",
            kind=SpanKind.PRODUCER,
            attributes={"messaging.system": "kafka", "messaging.kafka.offset": 2**40, "neg": -7, "ids": [1, 2], "flags": [True]},
            links=[trace.Link(remote, {"cloudevents.distributed_tracing": True})],
        ) as send:
            send.set_status(Status(StatusCode.ERROR, "broker gone: ünïcode"))
    parent = trace.set_span_in_context(NonRecordingSpan(remote))
    for offset in range(3):  # repeated attribute values, as every record's span has them
        with other.start_as_current_span(
            "process code-submitted",
            context=parent,
            kind=SpanKind.CONSUMER,
            attributes={"messaging.system": "kafka", "o": offset},
        ) as span:
            span.set_status(Status(StatusCode.OK))
    with other.start_as_current_span("x" * 300, attributes={"k" * 200: "v" * 5000}):
        pass
    return exporter.get_finished_spans()


@pytest.fixture
def spans() -> Iterator[tuple[ReadableSpan, ...]]:
    # A provider of the test's own, not the global one: two resources to group by.
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource({"service.name": "gateway", "service.instance.id": 7}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    found = _finished(provider, exporter)
    elsewhere = TracerProvider(
        resource=Resource({"service.name": "triage"}, schema_url="https://opentelemetry.io/schemas/1.44.0")
    )
    extra = InMemorySpanExporter()
    elsewhere.add_span_processor(SimpleSpanProcessor(extra))
    with elsewhere.get_tracer("t").start_as_current_span("process learning-events"):
        pass
    yield found + extra.get_finished_spans()


def _parsed(body: bytes) -> ExportTraceServiceRequest:
    message = ExportTraceServiceRequest()
    message.ParseFromString(body)
    return message


def test_the_encoding_is_the_message_the_sdk_makes(spans: tuple[ReadableSpan, ...]) -> None:
    assert _parsed(encode_request(spans)) == encode_spans(spans)
    # Twice: the second encoding reads the cached attribute pairs.
    assert _parsed(encode_request(spans)) == encode_spans(spans)
    assert _parsed(encode_request(())) == encode_spans(())


@pytest.mark.parametrize("encoder", ["", "sdk"])
def test_the_exporter_delivers_to_an_otlp_receiver(
    spans: tuple[ReadableSpan, ...], encoder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENCODER_VARIABLE, encoder)  # ours, or the SDK's own as a way out
    server = ReceiverServer(port=0).start()
    try:
        exporter = WireSpanExporter(endpoint=f"{server.url}/v1/traces")
        assert exporter.export(spans) is SpanExportResult.SUCCESS
        kept = server.store.snapshot()
        assert [s.name for s in kept] == [s.name for s in spans]
        assert {s.service for s in kept} == {"gateway", "triage"}
        exporter.shutdown()
        assert exporter.export(spans) is SpanExportResult.FAILURE
    finally:
        server.stop()
