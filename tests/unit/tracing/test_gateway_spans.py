"""The gateway's push span continues the record's trace; its POST span continues the browser's."""

from __future__ import annotations

import uuid

from opentelemetry import trace
from opentelemetry.trace import SpanKind
from starlette.requests import Request

from learnflow.events import KafkaRecord, to_record
from learnflow.gateway._records import stream_event
from learnflow.gateway._tracing import push_span, request_span

from ...support.learner_events import help_explanation

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


def _help_record() -> KafkaRecord:
    record = to_record(help_explanation(uuid.uuid4()), "/learnflow/concepts")
    return record._replace(headers=[*record.headers, ("traceparent", PARENT.encode())])


def test_a_stream_event_keeps_its_records_trace_headers_only():
    event = stream_event(1, 0, 12, 1_700_000_000_000, _help_record())
    assert event is not None and event.trace == (("traceparent", PARENT),)


def test_a_push_is_a_consumer_span_in_the_records_trace(spans):
    event = stream_event(1, 0, 12, 1_700_000_000_000, _help_record())
    assert event is not None
    with push_span(event):
        pass
    [push] = spans.get_finished_spans()
    assert push.name == "push proactive-help" and push.kind is SpanKind.CONSUMER
    assert format(push.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert push.attributes["messaging.message.id"] == str(event.event_id)
    assert push.attributes["messaging.kafka.offset"] == 12
    assert push.attributes["messaging.operation.type"] == "process"


def test_a_post_continues_the_browsers_trace_and_names_its_route(spans):
    class Route:
        path = "/learners/{user_id}/submissions"

    user = uuid.uuid4()
    scope = {
        "type": "http",
        "method": "POST",
        "path": f"/learners/{user}/submissions",
        "headers": [(b"traceparent", PARENT.encode())],
        "query_string": b"",
        "route": Route(),
    }
    with request_span(Request(scope)):
        inner = trace.get_current_span().get_span_context()
    [post] = spans.get_finished_spans()
    assert post.name == "POST /learners/{user_id}/submissions" and post.kind is SpanKind.SERVER
    assert format(post.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert inner.span_id == post.context.span_id, "the publish inside is its child"
