"""The ingress answers as Knative's KafkaSink does, and writes what it would write.

The CloudEvents HTTP binding's shapes are data (``SHAPES``): binary and structured mode,
data as plain text, a JSON string, object or array, XML, an extension, and the requests
KafkaSink refuses. Each gets KafkaSink's answer (eventing-kafka-broker's receiver: 202
once written, 400 for what is not a CloudEvent), and each written one is checked against
the record KafkaSink writes: binary mode, key from ``partitionkey``, none without it.
"""

import base64
import json
import logging
from dataclasses import dataclass, field

import pytest
from werkzeug.test import Client

from learnflow.events import CloudEventMessage, PublishError, is_json_content_type
from learnflow.local.manifests import KafkaSink
from learnflow.local.runtime.ingress import Consumer, Ingress, contract_problem
from learnflow.local.runtime.sink import SinkWriter

from ...support.seed import mutated, seed_document


class RecordingPublisher:
    def __init__(self, fail=False):
        self.records, self.fail = [], fail

    def send_record(self, topic, record):
        if self.fail:
            raise PublishError("could not publish to 'code-submitted': KafkaTimeoutError (injected)")
        self.records.append((topic, record))


SINK = KafkaSink(name="code-submitted-ingress", namespace="learnflow", topic="code-submitted", bootstrap_servers=("b:9092",))
URL = "/learnflow/code-submitted-ingress"
CONSUMERS = {"code-submitted": Consumer("code-execution", "code-submitted.dlq")}


def _client(publisher, validate=False, sink=SINK):
    return Client(Ingress([SinkWriter(sink, publisher)], consumers=CONSUMERS, validate=validate))


@dataclass(frozen=True)
class Shape:
    """One request, KafkaSink's answer, and (for a 202) the record it writes."""

    headers: dict[str, str]
    body: bytes
    status: int = 202
    value: bytes | None = None
    content_type: str | None = None
    key: bytes | None = None
    carries: dict[str, str] = field(default_factory=dict)  # further record headers, ce_* names


BINARY = {"ce-specversion": "1.0", "ce-id": "e-1", "ce-type": "com.example.shape", "ce-source": "/conformance"}
ENVELOPE = {"specversion": "1.0", "id": "e-1", "type": "com.example.shape", "source": "/conformance"}
STRUCTURED = {"content-type": "application/cloudevents+json"}
XML = b'<?xml version="1.0"?><note><to>learner</to></note>'


def _binary(content_type: str | None, body: bytes, **extra: str) -> dict:
    headers = {**BINARY, **extra}
    if content_type is not None:
        headers["content-type"] = content_type
    return {"headers": headers, "body": body}


def _structured(**fields: object) -> dict:
    return {"headers": STRUCTURED, "body": json.dumps({**ENVELOPE, **fields}).encode()}


SHAPES: dict[str, Shape] = {
    # -- binary mode: ce-* headers, the body is the data -------------------------------
    "binary-text": Shape(**_binary("text/plain", b"hello"), value=b"hello", content_type="text/plain"),
    "binary-json-string": Shape(**_binary("application/json", b'"hello"'), value=b'"hello"', content_type="application/json"),
    "binary-json-object": Shape(**_binary("application/json", b'{"a": 1}'), value=b'{"a": 1}', content_type="application/json"),
    "binary-json-array": Shape(**_binary("application/json", b"[1, 2]"), value=b"[1, 2]", content_type="application/json"),
    "binary-xml": Shape(**_binary("application/xml", XML), value=XML, content_type="application/xml"),
    "binary-extension-and-partitionkey": Shape(
        **_binary("text/plain", b"hi", **{"ce-comexampleext": "value", "ce-partitionkey": "user-7"}),
        value=b"hi",
        content_type="text/plain",
        key=b"user-7",
        carries={"ce_comexampleext": "value", "ce_partitionkey": "user-7"},
    ),
    "binary-no-data": Shape(**_binary(None, b"")),
    "binary-missing-ce-id": Shape(
        headers={k: v for k, v in BINARY.items() if k != "ce-id"} | {"content-type": "text/plain"}, body=b"x", status=400
    ),
    "no-ce-specversion": Shape(headers={"content-type": "application/json"}, body=b'{"a": 1}', status=400),
    # -- structured mode: the whole event as a JSON envelope ----------------------------
    "structured-text": Shape(
        **_structured(datacontenttype="text/plain", data="hello"), value=b"hello", content_type="text/plain"
    ),
    "structured-json-string": Shape(
        **_structured(datacontenttype="application/json", data="hello"), value=b'"hello"', content_type="application/json"
    ),
    "structured-json-object": Shape(**_structured(data={"a": 1}), value=b'{"a": 1}', content_type="application/json"),
    "structured-json-array": Shape(
        **_structured(datacontenttype="application/json", data=[1, 2]), value=b"[1, 2]", content_type="application/json"
    ),
    "structured-xml": Shape(
        **_structured(datacontenttype="application/xml", data=XML.decode()), value=XML, content_type="application/xml"
    ),
    "structured-base64": Shape(
        **_structured(datacontenttype="application/octet-stream", data_base64=base64.b64encode(b"\x00\xff").decode()),
        value=b"\x00\xff",
        content_type="application/octet-stream",
    ),
    "structured-extension-and-partitionkey": Shape(
        **_structured(data="hi", datacontenttype="text/plain", comexampleext="value", partitionkey="user-7"),
        value=b"hi",
        content_type="text/plain",
        key=b"user-7",
        carries={"ce_comexampleext": "value"},
    ),
    "structured-missing-id": Shape(
        headers=STRUCTURED, body=json.dumps({k: v for k, v in ENVELOPE.items() if k != "id"}).encode(), status=400
    ),
    "structured-body-not-json": Shape(headers=STRUCTURED, body=XML, status=400),
    "structured-object-as-text": Shape(**_structured(datacontenttype="text/plain", data={"a": 1}), status=400),
}


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_gets_kafkasinks_answer_and_record(name):
    shape = SHAPES[name]
    publisher = RecordingPublisher()
    response = _client(publisher).post(URL, headers=shape.headers, data=shape.body)
    assert response.status_code == shape.status, response.get_data(as_text=True)
    if shape.status != 202:
        assert response.json["reason"] and publisher.records == []
        return
    [(topic, record)] = publisher.records
    headers = {k: v.decode() for k, v in record.headers}
    assert topic == "code-submitted" and record.key == shape.key
    assert headers.get("content-type") == shape.content_type
    assert {k: headers[k] for k in ("ce_specversion", "ce_id", "ce_type", "ce_source")} == {
        "ce_specversion": "1.0",
        "ce_id": "e-1",
        "ce_type": "com.example.shape",
        "ce_source": "/conformance",
    }
    assert shape.carries.items() <= headers.items()
    if shape.value is not None and is_json_content_type(shape.content_type):
        assert json.loads(record.value) == json.loads(shape.value)
    else:
        assert record.value == shape.value


def _seed_headers(doc):
    return {
        "ce-specversion": "1.0",
        "ce-id": doc["eventId"],
        "ce-type": doc["eventType"],
        "ce-source": "/frontend",
        "ce-partitionkey": doc["userId"],
        "content-type": "application/json",
    }


def test_a_seed_document_is_written_keyed_by_its_partitionkey_without_a_warning(caplog):
    publisher = RecordingPublisher()
    doc = seed_document("code-submitted.json")
    with caplog.at_level(logging.WARNING):
        response = _client(publisher).post(URL, headers=_seed_headers(doc), data=json.dumps(doc))
    assert response.status_code == 202
    [(_, record)] = publisher.records
    assert record.key == doc["userId"].encode() and json.loads(record.value) == doc
    assert caplog.records == []


def test_an_invalid_document_is_written_with_one_warning_naming_its_fields_and_the_function(caplog):
    publisher = RecordingPublisher()
    doc = mutated("code-submitted.json", "data.language", ...)
    with caplog.at_level(logging.WARNING):
        response = _client(publisher).post(URL, headers=_seed_headers(doc), data=json.dumps(doc))
    assert response.status_code == 202 and len(publisher.records) == 1
    [line] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "data.language: Field required" in line
    assert "code-execution will answer 400" in line and "code-submitted.dlq" in line
    assert "\n" not in line


def test_strict_mode_refuses_an_invalid_document_with_its_fields_and_writes_nothing():
    publisher = RecordingPublisher()
    doc = mutated("code-submitted.json", "data.language", ...)
    response = _client(publisher, validate=True).post(URL, headers=_seed_headers(doc), data=json.dumps(doc))
    assert response.status_code == 400 and response.json["error"] == "invalid_event"
    assert response.json["fields"] == [{"path": "data.language", "reason": "Field required"}]
    assert publisher.records == []


def test_strict_mode_refuses_data_that_is_no_document_and_writes_a_seed_document():
    publisher = RecordingPublisher()
    client = _client(publisher, validate=True)
    shape = SHAPES["binary-text"]
    refused = client.post(URL, headers=shape.headers, data=shape.body)
    assert refused.status_code == 400 and refused.json["fields"][0]["path"] == "<document>"
    doc = seed_document("code-submitted.json")
    assert client.post(URL, headers=_seed_headers(doc), data=json.dumps(doc)).status_code == 202
    assert len(publisher.records) == 1


@pytest.mark.parametrize(
    ("topic", "data", "problem"),
    [
        ("code-submitted", json.dumps(seed_document("code-submitted.json")).encode(), None),
        ("code-submitted", None, "data: the CloudEvent carries no data"),
        ("code-submitted", b"hello", "<document>: not JSON"),
        ("not-a-contract-topic", b"hello", None),
    ],
    ids=["seed", "no-data", "text", "no-contract"],
)
def test_contract_problem(topic, data, problem):
    found = contract_problem(topic, CloudEventMessage(dict(ENVELOPE), data))
    assert (found is None) if problem is None else found.reason.startswith(problem)


def test_kafka_down_is_503():
    doc = seed_document("code-submitted.json")
    response = _client(RecordingPublisher(fail=True)).post(URL, headers=_seed_headers(doc), data=json.dumps(doc))
    assert response.status_code == 503 and "KafkaTimeoutError" in response.json["reason"]


@pytest.mark.parametrize("path", ["/learnflow/nope", "/other/code-submitted-ingress", "/"])
def test_unknown_sink_is_404_listing_the_sinks(path):
    response = _client(RecordingPublisher()).post(path, data=b"{}")
    assert response.status_code == 404 and response.json["sinks"] == [URL]


def test_only_post():
    assert _client(RecordingPublisher()).get(URL).status_code == 405
