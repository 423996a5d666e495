import base64
import json

from learnflow.events import CODE_SUBMITTED, KAFKA_WRAPPER_TYPE, KafkaRecord, to_record
from learnflow.local._metrics import ErrorReason
from learnflow.local.runtime.events import RecordOrigin, error_extensions, message_from_record
from learnflow.local.runtime.policy import Attempt

from ...support.seed import seed_document

ORIGIN = RecordOrigin("learnflow", "code-execution", "code-submitted", 2, 41, 1769508000000)


def test_binary_record_passes_through_with_its_attributes():
    event = CODE_SUBMITTED.parse(seed_document("code-submitted.json"))
    message = message_from_record(to_record(event, "/learnflow/frontend"), ORIGIN)
    assert message.type == "code.submitted" and message.id == str(event.event_id)
    assert message.attributes["partitionkey"] == str(event.user_id)
    assert json.loads(message.data) == seed_document("code-submitted.json")


def test_plain_record_is_wrapped_as_kafkasource_wraps_it():
    record = KafkaRecord(b"user-1", b'{"hello": 1}', [("content-type", b"Application/JSON"), ("X-Trace.Id", b"abc")])
    message = message_from_record(record, ORIGIN)
    assert message.attributes == {
        "specversion": "1.0",
        "type": KAFKA_WRAPPER_TYPE,
        "source": "/apis/v1/namespaces/learnflow/kafkasources/code-execution#code-submitted",
        "subject": "partition:2#41",
        "id": "partition:2/offset:41",
        "time": "2026-01-27T10:00:00Z",
        "datacontenttype": "application/json",
        "key": "user-1",
        "partitionkey": "user-1",
        "kafkaheaderxtraceid": "abc",
    }
    assert message.data == b'{"hello": 1}'


def test_structured_record_with_a_broken_envelope_is_wrapped_not_dropped():
    record = KafkaRecord(None, b"{oops", [("content-type", b"application/cloudevents+json")])
    assert message_from_record(record, ORIGIN).type == KAFKA_WRAPPER_TYPE


def test_structured_record_becomes_its_cloudevent():
    body = json.dumps({"specversion": "1.0", "id": "e1", "type": "t", "source": "/s", "data": {"a": 1}}).encode()
    message = message_from_record(KafkaRecord(b"k", body, [("content-type", b"application/cloudevents+json")]), ORIGIN)
    assert message.id == "e1" and json.loads(message.data) == {"a": 1}


def test_error_extensions_follow_knative():
    body = b"x" * 3000
    ext = error_extensions("http://triage/", Attempt(422, body, {"Kne-Reason": "data.code: too long", "X-Other": "no"}))
    assert ext["knativeerrordest"] == "http://triage/"
    assert ext["knativeerrorcode"] == "422"
    assert base64.b64decode(ext["knativeerrordata"]) == b"x" * 1024
    assert ext["reason"] == "data.code: too long"
    assert "other" not in ext


def test_error_extensions_without_a_response_carry_only_the_destination():
    assert error_extensions("http://t/", Attempt(failure=ErrorReason.TIMEOUT)) == {"knativeerrordest": "http://t/"}
