import json

import pytest
from werkzeug.test import Client

from learnflow.events import PublishError
from learnflow.local.manifests import KafkaSink
from learnflow.local.runtime.ingress import Ingress
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


def _client(publisher):
    return Client(Ingress([SinkWriter(SINK, publisher)]))


def _ce_headers(doc, partitionkey=True):
    headers = {
        "ce-specversion": "1.0",
        "ce-id": doc["eventId"],
        "ce-type": doc["eventType"],
        "ce-source": "/frontend",
        "content-type": "application/json",
    }
    if partitionkey:
        headers["ce-partitionkey"] = doc["userId"]
    return headers


def test_a_valid_cloudevent_is_written_to_the_sink_topic_keyed_by_partitionkey():
    publisher = RecordingPublisher()
    doc = seed_document("code-submitted.json")
    response = _client(publisher).post("/learnflow/code-submitted-ingress", headers=_ce_headers(doc), data=json.dumps(doc))
    assert response.status_code == 202
    [(topic, record)] = publisher.records
    assert topic == "code-submitted" and record.key == doc["userId"].encode()
    assert json.loads(record.value) == doc
    assert ("ce_id", doc["eventId"].encode()) in record.headers


def test_structured_mode_is_accepted_too():
    publisher = RecordingPublisher()
    doc = seed_document("code-submitted.json")
    body = {
        "specversion": "1.0",
        "id": "1",
        "type": "code.submitted",
        "source": "/f",
        "partitionkey": "k",
        "datacontenttype": "application/json",
        "data": doc,
    }
    response = _client(publisher).post(
        "/learnflow/code-submitted-ingress", data=json.dumps(body), headers={"content-type": "application/cloudevents+json"}
    )
    assert response.status_code == 202 and publisher.records[0][1].key == b"k"


def test_not_a_cloudevent_is_400():
    response = _client(RecordingPublisher()).post(
        "/learnflow/code-submitted-ingress", data=b"{}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and response.json["error"] == "not_a_cloudevent"


def test_an_invalid_document_is_400_with_its_fields_and_nothing_is_written():
    publisher = RecordingPublisher()
    doc = mutated("code-submitted.json", "data.language", ...)
    response = _client(publisher).post("/learnflow/code-submitted-ingress", headers=_ce_headers(doc), data=json.dumps(doc))
    assert response.status_code == 400
    assert response.json["fields"] == [{"path": "data.language", "reason": "Field required"}]
    assert publisher.records == []


def test_kafka_down_is_503():
    doc = seed_document("code-submitted.json")
    response = _client(RecordingPublisher(fail=True)).post(
        "/learnflow/code-submitted-ingress", headers=_ce_headers(doc), data=json.dumps(doc)
    )
    assert response.status_code == 503 and "KafkaTimeoutError" in response.json["reason"]


@pytest.mark.parametrize("path", ["/learnflow/nope", "/other/code-submitted-ingress", "/"])
def test_unknown_sink_is_404_listing_the_sinks(path):
    response = _client(RecordingPublisher()).post(path, data=b"{}")
    assert response.status_code == 404 and response.json["sinks"] == ["/learnflow/code-submitted-ingress"]


def test_only_post():
    assert _client(RecordingPublisher()).get("/learnflow/code-submitted-ingress").status_code == 405
