"""OTLP/HTTP protobuf (``ExportTraceServiceRequest``) to span records: what every process sends."""

from __future__ import annotations

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

from learnflow.local.traces._model import AttributeValue, SpanRecord

_KINDS = {
    Span.SPAN_KIND_SERVER: "server",
    Span.SPAN_KIND_CLIENT: "client",
    Span.SPAN_KIND_PRODUCER: "producer",
    Span.SPAN_KIND_CONSUMER: "consumer",
}


def _value(value: AnyValue) -> AttributeValue | None:
    which = value.WhichOneof("value")
    if which in ("string_value", "bool_value", "int_value", "double_value"):
        found: AttributeValue = getattr(value, which)
        return found
    return None  # arrays, maps and bytes: nothing a waterfall shows


def _attributes(pairs: list[KeyValue]) -> dict[str, AttributeValue]:
    return {kv.key: v for kv in pairs if (v := _value(kv.value)) is not None}


def spans_of(body: bytes) -> list[SpanRecord]:
    """The spans of one OTLP export request; ``google.protobuf.message.DecodeError`` if it is none."""
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    records = []
    for resource_spans in request.resource_spans:
        service = str(_attributes(list(resource_spans.resource.attributes)).get("service.name", "unknown_service"))
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                # model_construct: the values come typed from protobuf, and validating each
                # span would cost the receiver's process CPU the stack's other processes share.
                records.append(
                    SpanRecord.model_construct(
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex() or None,
                        name=span.name,
                        kind=_KINDS.get(span.kind, "internal"),
                        service=service,
                        start_ns=span.start_time_unix_nano,
                        end_ns=span.end_time_unix_nano,
                        attributes=_attributes(list(span.attributes)),
                        error=span.status.code == Status.STATUS_CODE_ERROR,
                    )
                )
    return records
