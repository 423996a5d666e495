import json

import pytest
from cloudevents.http import CloudEvent
from cloudevents.kafka import to_structured

from learnflow.events import CODE_SUBMITTED, LEARNING_EVENTS, InvalidEvent, KafkaRecord, from_record, record_mode, to_record

from ..support.seed import seed_document


@pytest.fixture
def submitted():
    return CODE_SUBMITTED.parse(seed_document("code-submitted.json"))


def test_to_record_is_binary_mode_with_the_seed_document_as_value(submitted):
    record = to_record(submitted, "/learnflow/frontend")
    assert record.key == b"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
    assert json.loads(record.value) == seed_document("code-submitted.json")
    assert dict(record.headers) == {
        "ce_specversion": b"1.0",
        "ce_id": b"5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e",
        "ce_type": b"code.submitted",
        "ce_source": b"/learnflow/frontend",
        "ce_time": b"2026-01-27T10:00:00Z",
        "content-type": b"application/json",
        "ce_partitionkey": b"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
    }
    assert record_mode(record) == "binary"


def test_binary_record_round_trips(submitted):
    assert from_record(to_record(submitted, "/x"), CODE_SUBMITTED) == submitted


def test_plain_seed_json_without_headers_decodes(submitted):
    record = KafkaRecord(None, json.dumps(seed_document("code-submitted.json")).encode(), [])
    assert record_mode(record) == "plain"
    assert from_record(record, CODE_SUBMITTED) == submitted


@pytest.mark.parametrize("as_bytes", [False, True], ids=["data", "data_base64"])
def test_structured_records_decode_with_inline_or_base64_data(submitted, as_bytes):
    doc = seed_document("code-submitted.json")
    data = json.dumps(doc).encode() if as_bytes else doc
    ce = CloudEvent(
        {"type": "code.submitted", "source": "/dapr", "partitionkey": "k", "datacontenttype": "application/cloudevents+json"},
        data,
    )
    message = to_structured(ce)
    if as_bytes:
        assert b"data_base64" in message.value
    record = KafkaRecord(message.key, message.value, list(message.headers.items()))
    assert record_mode(record) == "structured"
    assert from_record(record, CODE_SUBMITTED) == submitted


def test_structured_record_with_bad_json_is_an_invalid_event():
    record = KafkaRecord(None, b"{not json", [("content-type", b"application/cloudevents+json")])
    with pytest.raises(InvalidEvent, match="structured CloudEvent"):
        from_record(record, CODE_SUBMITTED)


def test_tombstone_is_an_invalid_event():
    with pytest.raises(InvalidEvent, match="tombstone"):
        from_record(KafkaRecord(b"k", None, []), LEARNING_EVENTS)


def test_header_lookup_is_case_insensitive_and_last_wins():
    record = KafkaRecord(None, b"", [("Content-Type", b"a"), ("content-type", b"b")])
    assert record.header("CONTENT-TYPE") == b"b"
