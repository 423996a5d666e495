"""Span names, kinds and attributes of the messaging conventions, on the real code paths."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from functions_framework import create_app
from opentelemetry.trace import SpanKind

from learnflow.events import HelpRequested, KafkaRecord, PublishError, new_event, to_record
from learnflow.serverless import Message, Publisher, kafka_settings, messaging_attributes, span_name, use_publisher

from ...support.in_process import RecordingProducer
from ...support.spans import by_name

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
ECHO_MODULE = """
from learnflow.events import LEARNING_EVENTS
from learnflow.serverless import cloud_event_function

handle = cloud_event_function(LEARNING_EVENTS, lambda event: [event], producer="echo")
"""


def _help_request() -> HelpRequested:
    return new_event(HelpRequested, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "duration": 30, "attempts": 2})


def test_span_names_put_the_operation_first():
    assert span_name("send", "code-submitted") == "send code-submitted"
    assert span_name("process", "learning-events") == "process learning-events"


def test_messaging_attributes_follow_the_kafka_conventions():
    message = Message("learning-events", b"user-1", "event-1", partition=3, offset=42, consumer_group="learnflow-triage")
    assert messaging_attributes("process", message) == {
        "messaging.system": "kafka",
        "messaging.operation.name": "process",
        "messaging.operation.type": "process",
        "messaging.destination.name": "learning-events",
        "messaging.kafka.message.key": "user-1",
        "messaging.message.id": "event-1",
        "messaging.destination.partition.id": "3",
        "messaging.kafka.offset": 42,
        "messaging.consumer.group.name": "learnflow-triage",
    }


def test_a_null_key_and_unknown_facts_are_left_out():
    attributes = messaging_attributes("send", Message("code-submitted"))
    assert attributes["messaging.operation.type"] == "send"
    assert not {"messaging.kafka.message.key", "messaging.message.id", "messaging.kafka.offset"} & set(attributes)
    assert messaging_attributes("push", Message("proactive-help"))["messaging.operation.type"] == "process"


def test_a_record_names_its_message_by_its_cloudevent_id():
    record = KafkaRecord(b"u", b"{}", [("ce_id", b"abc")])
    assert Message.of_record("t", record, offset=7) == Message("t", b"u", "abc", None, 7, None)


def test_a_publish_is_a_producer_span_whose_context_the_record_carries(spans):
    producer = RecordingProducer()
    event = _help_request()
    Publisher("gateway", kafka_settings(), lambda _settings: producer).publish(event)
    send = by_name(spans.get_finished_spans(), "send learning-events")
    assert send.kind is SpanKind.PRODUCER
    assert send.attributes["messaging.message.id"] == str(event.event_id)
    assert send.attributes["messaging.kafka.message.key"] == str(event.user_id)
    [(_topic, record)] = producer.sent
    context = send.get_span_context()
    assert record.header_text("traceparent").startswith(f"00-{context.trace_id:032x}-{context.span_id:016x}-")


def test_a_failed_publish_is_an_error_span(spans):
    publisher = Publisher("gateway", kafka_settings(), lambda _settings: RecordingProducer(fail=True))
    with pytest.raises(PublishError):
        publisher.publish(_help_request())
    send = by_name(spans.get_finished_spans(), "send learning-events")
    assert not send.status.is_ok


def test_a_function_continues_the_requests_trace_and_its_publish_is_a_child(spans, tmp_path: Path):
    source = tmp_path / "main.py"
    source.write_text(ECHO_MODULE)
    app = create_app("handle", str(source), "cloudevent")
    producer = RecordingProducer()
    use_publisher(app, Publisher("echo", kafka_settings(), lambda _settings: producer))
    event = _help_request()
    record = to_record(event, "/tests")
    headers = {("content-type" if k == "content-type" else k.replace("ce_", "ce-", 1)): v.decode() for k, v in record.headers}

    answer = app.test_client().post("/", headers={**headers, "traceparent": PARENT}, data=record.value)

    assert answer.status_code == 200
    finished = spans.get_finished_spans()
    process = by_name(finished, "process learning-events")
    send = by_name(finished, "send learning-events")
    assert process.kind is SpanKind.CONSUMER
    assert format(process.context.trace_id, "032x") == TRACE_ID
    assert format(process.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert process.attributes["messaging.message.id"] == str(event.event_id)
    assert process.attributes["cloudevents.event_type"] == "help.requested"
    assert send.parent.span_id == process.context.span_id
    [(_topic, out)] = producer.sent
    assert out.header_text("traceparent").split("-")[1] == TRACE_ID, "the follow-up event carries the trace on"
