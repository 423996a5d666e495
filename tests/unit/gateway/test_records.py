"""From a Kafka record to a stream event: only streamed types, validated, on one line."""

from __future__ import annotations

import json
import uuid

import pytest

from learnflow.events import InvalidEvent, KafkaRecord, to_record
from learnflow.gateway import stream_event

from ...support.learner_events import code_executed, exercise_started, help_explanation

LEARNER = uuid.uuid4()


def test_a_code_executed_record_becomes_its_seed_document_verbatim() -> None:
    event = code_executed(LEARNER, stdout="<script>alert(1)</script>\n")
    record = to_record(event, "/learnflow/code-execution")
    out = stream_event(0, 2, 41, 1234, record)
    assert out is not None
    assert (out.topic_index, out.partition, out.offset, out.timestamp_ms) == (0, 2, 41, 1234)
    assert (out.user_id, out.event_id, out.event_type) == (LEARNER, event.event_id, "code.executed")
    assert out.data.encode() == record.value


def test_a_help_explanation_is_streamed_from_proactive_help() -> None:
    out = stream_event(1, 0, 0, 0, to_record(help_explanation(LEARNER), "/learnflow/concepts"))
    assert out is not None and out.event_type == "help.explanation"


def test_other_learning_events_are_not_streamed() -> None:
    assert stream_event(0, 0, 0, 0, to_record(exercise_started(LEARNER), "/learnflow/frontend")) is None


def test_a_record_without_cloudevents_headers_is_read_from_its_document() -> None:
    record = to_record(code_executed(LEARNER), "/x")
    out = stream_event(0, 0, 0, 0, KafkaRecord(record.key, record.value, []))
    assert out is not None and out.event_type == "code.executed"


def test_a_pretty_printed_document_is_sent_on_one_line_with_the_same_values() -> None:
    record = to_record(code_executed(LEARNER, stdout="a\nb\n"), "/x")
    pretty = json.dumps(json.loads(record.value), indent=2).encode()
    out = stream_event(0, 0, 0, 0, KafkaRecord(record.key, pretty, []))
    assert out is not None and "\n" not in out.data
    assert json.loads(out.data) == json.loads(record.value)


def test_a_structured_cloudevent_is_sent_as_its_seed_document() -> None:
    event = code_executed(LEARNER)
    envelope = {"specversion": "1.0", "id": "1", "type": "code.executed", "source": "/x", "data": event.to_wire_dict()}
    record = KafkaRecord(None, json.dumps(envelope).encode(), [("content-type", b"application/cloudevents+json")])
    out = stream_event(0, 0, 0, 0, record)
    assert out is not None and json.loads(out.data) == event.to_wire_dict()


def test_a_streamed_record_that_breaks_its_contract_is_refused() -> None:
    record = to_record(code_executed(LEARNER), "/x")
    broken = json.loads(record.value)
    del broken["data"]["status"]
    with pytest.raises(InvalidEvent, match=r"data.status"):
        stream_event(0, 0, 0, 0, KafkaRecord(record.key, json.dumps(broken).encode(), record.headers))


def test_a_code_executed_names_the_submission_it_ran_and_nothing_else_does() -> None:
    submission = uuid.uuid4()
    out = stream_event(0, 0, 0, 0, to_record(code_executed(LEARNER, submissionId=submission), "/learnflow/code-execution"))
    assert out is not None and out.submission_id == submission
    help_out = stream_event(1, 0, 0, 0, to_record(help_explanation(LEARNER), "/learnflow/concepts"))
    assert help_out is not None and help_out.submission_id is None
