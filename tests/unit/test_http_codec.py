import base64
import json
import re

import pytest
from cloudevents.conversion import to_binary, to_structured
from cloudevents.http import CloudEvent

from learnflow.events import (
    CODE_SUBMITTED,
    KAFKA_WRAPPER_TYPE,
    CloudEventMessage,
    InvalidEvent,
    NotACloudEvent,
    event_from_cloudevent,
    event_from_request,
    from_http,
    header_safe,
    to_binary_http,
    to_cloudevent,
)

from ..support.seed import mutated, seed_document

DOC = seed_document("code-submitted.json")


@pytest.fixture
def expected():
    return CODE_SUBMITTED.parse(DOC)


def _ce(data, type_="code.submitted", content_type="application/json"):
    return CloudEvent({"type": type_, "source": "/test", "datacontenttype": content_type}, data)


def test_binary_cloudevent_request(expected):
    headers, body = to_binary(_ce(DOC))
    assert event_from_request(headers, body, CODE_SUBMITTED) == expected


def test_structured_cloudevent_request_with_inline_data(expected):
    headers, body = to_structured(_ce(DOC))
    assert event_from_request(headers, body, CODE_SUBMITTED) == expected


def test_structured_cloudevent_with_data_base64_as_dapr_raw_payload(expected):
    body = json.dumps(
        {
            "specversion": "1.0",
            "id": "1",
            "type": "com.dapr.event.sent",
            "source": "dapr",
            "datacontenttype": "application/octet-stream",
            "data_base64": base64.b64encode(json.dumps(DOC).encode()).decode(),
        }
    ).encode()
    assert event_from_request({"content-type": "application/cloudevents+json"}, body, CODE_SUBMITTED) == expected


def test_kafkasource_wrapper_of_a_plain_record(expected):
    ce = CloudEvent(
        {
            "type": KAFKA_WRAPPER_TYPE,
            "source": "/apis/v1/namespaces/learnflow/kafkasources/x#code-submitted",
            "subject": "partition:0#12",
        },
        json.dumps(DOC).encode(),
    )
    assert event_from_cloudevent(ce, CODE_SUBMITTED) == expected


def test_plain_seed_json_request(expected):
    assert event_from_request({"content-type": "application/json"}, json.dumps(DOC).encode(), CODE_SUBMITTED) == expected


def test_cloudevent_with_an_invalid_document_names_the_field():
    with pytest.raises(InvalidEvent) as caught:
        event_from_cloudevent(_ce(mutated("code-submitted.json", "data.language", ...)), CODE_SUBMITTED)
    assert [e.path for e in caught.value.errors] == ["data.language"]


def test_cloudevent_without_data_is_invalid():
    with pytest.raises(InvalidEvent, match="carries no data"):
        event_from_cloudevent(_ce(None), CODE_SUBMITTED)


def test_broken_structured_body_is_invalid_not_a_crash():
    with pytest.raises(InvalidEvent, match="not a valid CloudEvent"):
        event_from_request({"content-type": "application/cloudevents+json"}, b'{"specversion": "1.0"', CODE_SUBMITTED)


def test_to_binary_http_round_trips(expected):
    headers, body = to_binary_http(to_cloudevent(expected, "/learnflow/code-execution"))
    assert headers["ce-type"] == "code.submitted" and headers["ce-partitionkey"] == str(expected.user_id)
    assert event_from_request(headers, body, CODE_SUBMITTED) == expected


def test_http_binary_round_trip():
    message = CloudEventMessage(
        {
            "specversion": "1.0",
            "id": "1",
            "type": "t",
            "source": "/s",
            "datacontenttype": "application/json",
            "partitionkey": "u",
        },
        b"{}",
    )
    headers, body = to_binary_http(message)
    assert headers["ce-partitionkey"] == "u" and headers["content-type"] == "application/json"
    assert from_http(headers, body) == message


def test_http_request_that_is_no_cloudevent():
    with pytest.raises(NotACloudEvent):
        from_http({"content-type": "application/json"}, b"{}")


def test_binary_headers_are_percent_encoded_as_the_binding_says():
    message = CloudEventMessage({"id": 'a b"%ü', "datacontenttype": "text/plain; charset=ü"}, None)
    headers, body = to_binary_http(message)
    assert headers["ce-id"] == "a%20b%22%25%C3%BC"
    assert headers["content-type"] == "text/plain; charset=%C3%BC"  # a plain HTTP header keeps its spaces
    assert body == b""


@pytest.mark.parametrize(
    ("headers", "has_time"),
    [
        ({"ce-specversion": "1.0", "ce-id": "1", "ce-type": "t", "ce-source": "/s"}, False),
        ({"ce-specversion": "1.0", "ce-id": "1", "ce-type": "t", "ce-source": "/s", "ce-time": "2026-01-27T10:00:00Z"}, True),
    ],
    ids=["absent", "present"],
)
def test_from_http_keeps_time_only_when_the_event_has_one(headers, has_time):
    attributes = from_http(headers, b"{}").attributes
    assert ("time" in attributes) is has_time
    if has_time:
        assert attributes["time"] == "2026-01-27T10:00:00Z"


def test_structured_inline_data_arrives_as_its_json_text():
    body = json.dumps({"specversion": "1.0", "id": "e1", "type": "t", "source": "/s", "data": {"a": 1}}).encode()
    message = from_http({"content-type": "application/cloudevents+json"}, body)
    assert json.loads(message.data) == {"a": 1} and "time" not in message.attributes


STRUCTURED_CT = {"content-type": "application/cloudevents+json"}
ATTRS = {"specversion": "1.0", "id": "e1", "type": "t", "source": "/s"}


@pytest.mark.parametrize(
    ("extra", "content_type", "data"),
    [
        ({"datacontenttype": "text/plain", "data": "hello"}, "text/plain", b"hello"),
        ({"datacontenttype": "application/xml", "data": "<a>1</a>"}, "application/xml", b"<a>1</a>"),
        ({"datacontenttype": "application/json", "data": "hello"}, "application/json", b'"hello"'),
        ({"datacontenttype": "application/ld+json; charset=utf-8", "data": [1]}, "application/ld+json; charset=utf-8", b"[1]"),
        ({"data": {"a": 1}}, "application/json", b'{"a": 1}'),
        ({"datacontenttype": "text/plain", "data_base64": base64.b64encode(b"\x00x").decode()}, "text/plain", b"\x00x"),
        ({}, None, None),
    ],
    ids=["text", "xml", "json-string", "json-suffix", "no-type-is-json", "base64", "no-data"],
)
def test_structured_data_is_read_as_knatives_receiver_reads_it(extra, content_type, data):
    message = from_http(STRUCTURED_CT, json.dumps({**ATTRS, **extra}).encode())
    assert message.data == data
    assert message.attributes.get("datacontenttype") == content_type


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        (STRUCTURED_CT, {**ATTRS, "datacontenttype": "text/plain", "data": {"a": 1}}, "must be a JSON string"),
        (STRUCTURED_CT, {**ATTRS, "data": 1, "data_base64": "eA=="}, "both data and data_base64"),
        (STRUCTURED_CT, {**ATTRS, "id": 7}, "['id'] must be JSON strings"),
        (STRUCTURED_CT, [ATTRS], "a JSON list, not an object"),
        (STRUCTURED_CT, "<event/>", "the body is not JSON"),
        ({"ce-specversion": "1.0", "ce-type": "t", "ce-source": "/s"}, {}, "binary mode without ce-id"),
        ({"content-type": "application/json"}, ATTRS, "no ce-specversion header"),
    ],
    ids=["object-as-text", "data-twice", "numeric-id", "array-body", "not-json", "no-ce-id", "no-specversion"],
)
def test_what_knatives_receiver_refuses_is_not_a_cloudevent_with_a_reason(headers, body, reason):
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    with pytest.raises(NotACloudEvent, match=re.escape(reason)):
        from_http(headers, raw)


def test_a_boolean_extension_reads_as_the_java_sdk_writes_it():
    message = from_http(STRUCTURED_CT, json.dumps({**ATTRS, "flag": True, "count": 3}).encode())
    assert message.attributes["flag"] == "true" and message.attributes["count"] == "3"


def test_header_safe_keeps_printable_ascii_on_one_line_within_the_limit():
    assert header_safe("line 1\nline 2: ü") == "line 1?line 2: ?"
    assert header_safe("x" * 600) == "x" * 509 + "..."
