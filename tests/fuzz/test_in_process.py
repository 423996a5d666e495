"""The same hostile input, in process and in volume, against the pure parts it crosses.

- every Kafka record becomes a CloudEvent the dispatcher can put on the wire (legal
  HTTP header names and values; found by fuzzing: a non-Latin-1 ``ce_*`` value used to
  raise inside ``http.client`` and kill the partition's worker), whose body is the
  record's data;
- the ingress answers every request with 202 or a 400 with a reason, never a 500.
"""

from __future__ import annotations

import base64
import http.client
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from werkzeug.test import Client

from learnflow.events import KAFKA_WRAPPER_TYPE, KafkaRecord, is_json_content_type, record_mode, to_binary_http
from learnflow.local.manifests import KafkaSink
from learnflow.local.runtime.events import RecordOrigin, message_from_record
from learnflow.local.runtime.ingress import Ingress
from learnflow.local.runtime.sink import SinkWriter

from ..support.fuzzing import examples
from .strategies import FuzzRecord, FuzzRequest, http_requests, kafka_records

ORIGIN = RecordOrigin("learnflow", "triage", "learning-events", 1, 42, 1_769_508_000_000)
MANY = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


class RecordingPublisher:
    """Stands in for Kafka behind the ingress: what it was given, nothing else."""

    def __init__(self) -> None:
        self.records: list[tuple[str, KafkaRecord]] = []

    def send_record(self, topic: str, record: KafkaRecord) -> None:
        self.records.append((topic, record))


@MANY
@given(record=kafka_records())
def test_every_record_becomes_a_sendable_http_request(record: FuzzRecord) -> None:
    kafka_record = KafkaRecord(record.key, record.value, record.headers)
    message = message_from_record(kafka_record, ORIGIN)
    headers, body = to_binary_http(message)
    # putrequest/putheader only buffer (nothing connects), and validate exactly as a real send does.
    conn = http.client.HTTPConnection("127.0.0.1", 9)
    conn.putrequest("POST", "/")
    for name, value in headers.items():
        conn.putheader(name, value)
    # The body is the record's value as it is, except for a structured envelope KafkaSource
    # could read: that is sent in binary mode, its data as the body.
    wrapped = message.type == KAFKA_WRAPPER_TYPE and message.id == f"partition:{ORIGIN.partition}/offset:{ORIGIN.offset}"
    if record_mode(kafka_record) != "structured" or wrapped:
        assert body == (record.value or b"")
        return
    envelope = json.loads(record.value or b"")
    if "data_base64" in envelope:
        assert body == base64.b64decode(envelope["data_base64"])
    elif "data" in envelope and is_json_content_type(message.attributes.get("datacontenttype")):
        assert json.loads(body) == envelope["data"]
    elif "data" in envelope:  # text of another type: the JSON string's own text
        assert body == envelope["data"].encode()
    else:
        assert body == b""


@MANY
@given(request=http_requests())
def test_the_ingress_answers_every_request_with_202_or_a_reason(request: FuzzRequest) -> None:
    publisher = RecordingPublisher()
    sink = KafkaSink(
        name="learning-events-ingress", namespace="learnflow", topic="learning-events", bootstrap_servers=("b:9092",)
    )
    client = Client(Ingress([SinkWriter(sink, publisher)]))  # type: ignore[arg-type]
    # A WSGI server hands header bytes over as Latin-1 text.
    headers: dict[str, Any] = {k: v.decode("latin-1") for k, v in request.headers.items()}
    response = client.post("/learnflow/learning-events-ingress", headers=headers, data=request.body)
    assert response.status_code in (202, 400), f"{response.status_code} to {request!r}: {response.get_data()[:300]!r}"
    if response.status_code == 400:
        assert response.get_json()["reason"], response.get_data()[:300]
        assert not publisher.records, "a refused request must not be written"
    else:
        assert len(publisher.records) == 1
