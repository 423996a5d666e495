import json

import pytest
from cloudevents import kafka as sdk_kafka
from cloudevents.http import CloudEvent

from learnflow.events import (
    CODE_SUBMITTED,
    LEARNING_EVENTS,
    CloudEventMessage,
    InvalidEvent,
    KafkaRecord,
    NotACloudEvent,
    from_binary,
    from_record,
    from_structured,
    record_mode,
    to_binary,
    to_record,
    to_structured,
)

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
    message = sdk_kafka.to_structured(ce)
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


def test_kafka_record_is_keyed_by_partitionkey():
    record = to_binary(CloudEventMessage({"id": "1", "partitionkey": "u-9", "datacontenttype": "application/json"}, b"{}"))
    assert record.key == b"u-9"
    assert ("ce_partitionkey", b"u-9") in record.headers and ("content-type", b"application/json") in record.headers


MESSAGE = CloudEventMessage(
    {"specversion": "1.0", "id": "e1", "type": "t", "source": "/s", "datacontenttype": "application/json", "partitionkey": "u-1"},
    b'{"a": 1}',
)


def test_binary_message_round_trips():
    assert from_binary(to_binary(MESSAGE)) == MESSAGE


def test_a_partitionkey_header_wins_over_the_key_which_only_fills_in():
    headers = [("ce_specversion", b"1.0"), ("ce_partitionkey", b"from-header")]
    assert from_binary(KafkaRecord(b"from-key", b"", headers)).attributes["partitionkey"] == "from-header"
    assert from_binary(KafkaRecord(b"from-key", b"", headers[:1])).attributes["partitionkey"] == "from-key"


def test_binary_record_with_a_name_no_cloudevent_may_have_is_not_a_cloudevent():
    with pytest.raises(NotACloudEvent, match="invalid attribute names"):
        from_binary(KafkaRecord(None, b"{}", [("ce_specversion", b"1.0"), ("ce_a b", b"\xff")]))


@pytest.mark.parametrize(
    ("data", "field"),
    [(b'{"a": 1}', "data"), (b"\x00\xff", "data_base64")],
    ids=["json", "bytes"],
)
def test_structured_message_round_trips_with_the_key_from_partitionkey(data, field):
    message = CloudEventMessage({**MESSAGE.attributes}, data)
    record = to_structured(message)
    assert record.key == b"u-1" and record_mode(record) == "structured"
    assert field in json.loads(record.value)
    back = from_structured(record)
    assert json.loads(back.data) == json.loads(data) if field == "data" else back.data == data
    # partitionkey travels as the key only, and structured mode does not read it back
    assert back.attributes == {k: v for k, v in MESSAGE.attributes.items() if k != "partitionkey"}


def test_structured_data_of_a_type_that_is_not_json_travels_as_base64_and_reads_back_as_it_was():
    # "42" parses as JSON, but as text/plain the Java SDK writes it as data_base64, and a reader
    # of inline data of that type would need a JSON string.
    message = CloudEventMessage({**MESSAGE.attributes, "datacontenttype": "text/plain"}, b"42")
    record = to_structured(message)
    assert "data_base64" in json.loads(record.value)
    assert from_structured(record).data == b"42"
