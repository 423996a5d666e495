"""Seed documents through a real broker: our producer, kafka-python and confluent-kafka."""

import json
import uuid

import pytest

from learnflow.events import PublishError, from_record
from learnflow.serverless import Publisher, kafka_settings

from ..support.seed import SEED_TOPICS, seed_document


def _fresh(name: str) -> dict:
    """A seed document with a new eventId, so the session-wide topics can be shared."""
    doc = seed_document(name)
    doc["eventId"] = str(uuid.uuid4())
    return doc


@pytest.mark.parametrize("name", sorted(SEED_TOPICS))
def test_seed_examples_round_trip_through_kafka(kafka, kafka_probe, name):
    topic = SEED_TOPICS[name]
    event = topic.parse(_fresh(name))
    publisher = Publisher("frontend", settings=kafka)
    try:
        publisher.publish(event)
    finally:
        publisher.close()
    [record] = kafka_probe.wait_for(topic.name, lambda r: r.header_text("ce_id") == str(event.event_id))
    assert from_record(record, topic) == event
    assert record.key == str(event.user_id).encode()
    assert record.header_text("ce_type") == event.event_type
    assert record.header_text("ce_partitionkey") == str(event.user_id)
    assert record.header_text("ce_source") == "/learnflow/frontend"
    assert record.header_text("content-type") == "application/json"


def test_a_plain_record_written_by_confluent_kafka_decodes(kafka, kafka_probe):
    confluent_kafka = pytest.importorskip("confluent_kafka")
    topic = SEED_TOPICS["code-submitted.json"]
    doc = _fresh("code-submitted.json")
    producer = confluent_kafka.Producer({"bootstrap.servers": kafka.bootstrap_servers, "partitioner": "murmur2_random"})
    producer.produce(topic.name, value=json.dumps(doc).encode(), key=doc["userId"].encode())
    assert producer.flush(10) == 0
    [record] = kafka_probe.wait_for(topic.name, lambda r: r.value is not None and doc["eventId"].encode() in r.value)
    assert record.headers == []
    assert from_record(record, topic) == topic.parse(doc)


def test_publishing_to_an_unreachable_broker_fails_with_publish_error():
    settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", LEARNFLOW_PUBLISH_TIMEOUT_S=1)
    publisher = Publisher("frontend", settings=settings)
    event = SEED_TOPICS["code-submitted.json"].parse(_fresh("code-submitted.json"))
    with pytest.raises(PublishError, match="could not publish to 'code-submitted'"):
        publisher.publish(event)
    publisher.close()
