import base64
import json

import pytest
from cloudevents.conversion import to_binary, to_structured
from cloudevents.http import CloudEvent

from learnflow.events import (
    CODE_SUBMITTED,
    KAFKA_WRAPPER_TYPE,
    InvalidEvent,
    event_from_cloudevent,
    event_from_request,
    to_binary_http,
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
    headers, body = to_binary_http(expected, "/learnflow/code-execution")
    assert headers["ce-type"] == "code.submitted" and headers["ce-partitionkey"] == str(expected.user_id)
    assert event_from_request(headers, body, CODE_SUBMITTED) == expected
