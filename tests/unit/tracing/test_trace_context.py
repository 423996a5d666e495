"""W3C trace context on Kafka records and HTTP requests, and the CloudEvents tracing extension."""

from __future__ import annotations

from opentelemetry import trace

from learnflow.events import KafkaRecord
from learnflow.serverless import carrier_of, has_parent, http_context, record_context, with_trace
from learnflow.serverless._trace_context import extension_link

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
OTHER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def _ids(context) -> tuple[str, str]:
    span_context = trace.get_current_span(context).get_span_context()
    return format(span_context.trace_id, "032x"), format(span_context.span_id, "016x")


def _record(*headers: tuple[str, bytes]) -> KafkaRecord:
    return KafkaRecord(b"user", b"{}", [("ce_id", b"e1"), *headers])


def test_a_record_context_is_read_from_its_traceparent_header():
    context = record_context(_record(("traceparent", PARENT.encode()), ("tracestate", b"vendor=x")))
    assert has_parent(context)
    assert _ids(context) == (TRACE_ID, "00f067aa0ba902b7")
    assert trace.get_current_span(context).get_span_context().trace_state.get("vendor") == "x"


def test_the_cloudevents_extension_is_the_fallback_on_kafka():
    context = record_context(_record(("ce_traceparent", PARENT.encode())))
    assert _ids(context) == (TRACE_ID, "00f067aa0ba902b7")


def test_the_w3c_header_wins_over_the_extension():
    context = record_context(_record(("ce_traceparent", OTHER.encode()), ("traceparent", PARENT.encode())))
    assert _ids(context)[0] == TRACE_ID


def test_a_record_without_context_has_no_parent_and_a_malformed_one_is_ignored():
    assert not has_parent(record_context(_record()))
    assert not has_parent(record_context(_record(("traceparent", b"00-zz-not-a-trace"))))


def test_http_context_reads_headers_case_insensitively_then_the_event_attributes():
    assert _ids(http_context({"TraceParent": PARENT}))[0] == TRACE_ID
    assert _ids(http_context({"ce-traceparent": PARENT}))[0] == TRACE_ID
    assert _ids(http_context({}, {"traceparent": PARENT}))[0] == TRACE_ID
    assert not has_parent(http_context({"content-type": "application/json"}))


def test_with_trace_replaces_the_previous_hops_context(spans):
    record = _record(("traceparent", OTHER.encode()), ("TraceState", b"old=1"))
    with trace.get_tracer("test").start_as_current_span("send") as span:
        traced = with_trace(record)
    names = [k for k, _ in traced.headers]
    assert names.count("traceparent") == 1 and "TraceState" not in names
    own = span.get_span_context()
    assert traced.header_text("traceparent").startswith(f"00-{own.trace_id:032x}-{own.span_id:016x}-")
    assert traced.header_text("ce_id") == "e1", "other headers are kept"


def test_nothing_is_injected_without_a_valid_context_and_the_records_own_trace_stays():
    assert "traceparent" not in carrier_of(http_context({}))
    record = _record(("traceparent", PARENT.encode()))
    assert with_trace(record, http_context({})) == record


def test_the_extension_becomes_a_link_when_the_parent_is_another_hop():
    parent = http_context({"traceparent": OTHER})
    link = extension_link({"traceparent": PARENT}, parent)
    assert link is not None and format(link.context.trace_id, "032x") == TRACE_ID
    assert extension_link({"traceparent": OTHER}, parent) is None, "the same context is not linked to itself"
    assert extension_link({}, parent) is None
