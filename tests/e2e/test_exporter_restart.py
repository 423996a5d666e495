"""An in-memory broker restart empties every log: the exporter survives it, its counters
keep going up and lag stays non-negative. Uses a private broker, not the session one."""

from __future__ import annotations

import time
from collections.abc import Callable

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from prometheus_client import REGISTRY

from learnflow.local._admin import ensure_topics
from learnflow.local._broker import EmbeddedBroker
from learnflow.local.exporter import OffsetsExporter, Watch
from learnflow.serverless import BrokerKind, KafkaSettings, kafka_settings

TOPIC = "restart-orders"


def value(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def until(ok: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not ok():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def produce_and_commit(settings: KafkaSettings, n: int, committed: int) -> None:
    producer = KafkaProducer(**settings.producer_config())
    try:
        for i in range(n):
            producer.send(TOPIC, f"r{i}".encode(), partition=0)
        producer.flush(10)
    finally:
        producer.close()
    consumer = KafkaConsumer(**settings.consumer_config("restart-group"))
    try:
        consumer.commit({TopicPartition(TOPIC, 0): OffsetAndMetadata(committed, "", -1)})
    finally:
        consumer.close()


def test_counters_survive_a_broker_restart(tmp_path):
    broker = EmbeddedBroker(log_path=tmp_path / "a.log").start()
    port = broker.port
    settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
    exporter = OffsetsExporter(settings, watch=Watch.of([TOPIC]), interval_s=0.2)
    lag = {"topic": TOPIC, "partition": "0", "consumer_group": "restart-group"}
    try:
        ensure_topics(settings, {TOPIC: 1, TOPIC + ".dlq": 1})
        exporter.start()
        assert until(lambda: exporter.reads > 0)
        produce_and_commit(settings, 5, committed=1)
        assert until(lambda: value("kafka_consumer_lag", **lag) == 4 and value("kafka_messages_total", topic=TOPIC) == 5)

        errors = value("learnflow_exporter_read_errors_total") or 0
        broker.stop()
        assert until(lambda: (value("learnflow_exporter_read_errors_total") or 0) > errors)
        assert value("kafka_messages_total", topic=TOPIC) == 5  # last figures kept while blind

        broker = EmbeddedBroker(port=port, log_path=tmp_path / "b.log").start()
        ensure_topics(settings, {TOPIC: 1, TOPIC + ".dlq": 1})
        produce_and_commit(settings, 2, committed=1)
        # The log restarted at 0: 2 new records on top of 5, never back to 2.
        assert until(lambda: value("kafka_messages_total", topic=TOPIC) == 7), value("kafka_messages_total", topic=TOPIC)
        assert until(lambda: value("kafka_consumer_lag", **lag) == 1), value("kafka_consumer_lag", **lag)
    finally:
        exporter.stop()
        broker.stop()
