"""The offsets exporter against the real broker, read back through a /metrics scrape."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from prometheus_client.parser import text_string_to_metric_families

from learnflow.local._admin import ensure_topics
from learnflow.local._metrics_server import MetricsServer, serve_metrics
from learnflow.local.exporter import OffsetsExporter, Watch

from ..monitoring.promtool import promtool

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(server: MetricsServer) -> str:
    return httpx.get(server.url, timeout=5).text


def samples(text: str) -> Samples:
    return {
        (s.name, frozenset(s.labels.items())): s.value for family in text_string_to_metric_families(text) for s in family.samples
    }


def sample(found: Samples, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


def wait_for(server: MetricsServer, ok: Callable[[Samples], bool], timeout: float = 20.0) -> Samples:
    """Scrape until ``ok`` holds; return the last scrape either way (the assert shows it)."""
    deadline = time.monotonic() + timeout
    while True:
        found = samples(scrape(server))
        if ok(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@pytest.fixture
def topic(kafka) -> str:
    name = f"exp-{uuid.uuid4().hex[:8]}"
    ensure_topics(kafka, {name: 3, name + ".dlq": 1})
    return name


@pytest.fixture
def metrics_server() -> Iterator[MetricsServer]:
    server = serve_metrics("127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture
def exporter(kafka, topic) -> Iterator[OffsetsExporter]:
    exp = OffsetsExporter(kafka, watch=Watch.of([topic]), interval_s=0.2, window_s=5).start()
    try:
        deadline = time.monotonic() + 20
        while exp.reads == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert exp.reads > 0, "the exporter never read the broker"
        yield exp
    finally:
        exp.stop()


def produce(kafka, topic: str, per_partition: dict[int, int]) -> None:
    producer = KafkaProducer(**kafka.producer_config(linger_ms=20))  # batches: what breaks end_offsets on Tansu
    try:
        for partition, n in per_partition.items():
            for i in range(n):
                producer.send(topic, f"r{i}".encode(), partition=partition)
        producer.flush(10)
    finally:
        producer.close()


def consume_and_commit(kafka, topic: str, group: str, per_partition: dict[int, int]) -> None:
    """Read ``per_partition[p]`` records of each partition as ``group`` and commit after them."""
    consumer = KafkaConsumer(**kafka.consumer_config(group, fetch_max_wait_ms=100))
    try:
        tps = [TopicPartition(topic, p) for p in per_partition]
        consumer.assign(tps)
        seen: dict[int, int] = {p: 0 for p in per_partition}
        deadline = time.monotonic() + 15
        while any(seen[p] < n for p, n in per_partition.items()) and time.monotonic() < deadline:
            for tp, records in consumer.poll(timeout_ms=200).items():
                seen[tp.partition] += len(records)
        assert all(seen[p] >= n for p, n in per_partition.items()), seen
        consumer.commit({TopicPartition(topic, p): OffsetAndMetadata(n, "", -1) for p, n in per_partition.items() if n})
    finally:
        consumer.close()


def test_lag_per_partition_from_a_scrape(kafka, topic, exporter, metrics_server):
    group = f"g-{uuid.uuid4().hex[:6]}"
    produce(kafka, topic, {0: 7, 1: 5, 2: 3})
    # partition 2 is never committed: its lag counts from the log start
    consume_and_commit(kafka, topic, group, {0: 2, 1: 5, 2: 0})
    expected = {"0": 5, "1": 0, "2": 3}

    def lags(found: Samples) -> dict[str, float | None]:
        return {p: sample(found, "kafka_consumer_lag", topic=topic, partition=p, consumer_group=group) for p in expected}

    found = wait_for(metrics_server, lambda f: lags(f) == expected)
    assert lags(found) == expected
    found = wait_for(metrics_server, lambda f: sample(f, "kafka_messages_total", topic=topic) == 15)
    assert sample(found, "kafka_messages_total", topic=topic) == 15
    assert (sample(found, "kafka_messages_per_second", topic=topic) or 0) > 0


def test_dead_letter_arrivals_are_counted_and_held(kafka, topic, exporter, metrics_server):
    produce(kafka, topic + ".dlq", {0: 2})

    def dead(found: Samples) -> tuple[float | None, float | None]:
        return (
            sample(found, "kafka_consumer_errors_total", topic=topic, reason="dead_lettered"),
            sample(found, "learnflow_dlq_depth", topic=topic),
        )

    found = wait_for(metrics_server, lambda f: dead(f) == (2, 2))
    assert dead(found) == (2, 2)


def test_names_types_and_labels_are_exactly_the_seeds(kafka, topic, exporter, metrics_server):
    produce(kafka, topic, {0: 1})
    consume_and_commit(kafka, topic, f"g-{uuid.uuid4().hex[:6]}", {0: 1})
    wait_for(metrics_server, lambda f: any(k[0] == "kafka_consumer_lag" and ("topic", topic) in k[1] for k in f))
    families = {f.name: f for f in text_string_to_metric_families(scrape(metrics_server))}
    expected = {
        "kafka_consumer_lag": ("gauge", {"kafka_consumer_lag": {"topic", "partition", "consumer_group"}}),
        "kafka_messages_per_second": ("gauge", {"kafka_messages_per_second": {"topic"}}),
        "kafka_messages": ("counter", {"kafka_messages_total": {"topic"}}),
        "kafka_consumer_errors": ("counter", {"kafka_consumer_errors_total": {"topic", "reason"}}),
        "learnflow_dlq_depth": ("gauge", {"learnflow_dlq_depth": {"topic"}}),
    }
    for name, (kind, label_sets) in expected.items():
        family = families[name]
        assert family.type == kind, name
        mine = [s for s in family.samples if s.labels.get("topic") == topic and s.name in label_sets]
        assert mine, f"no {name} sample for {topic}"
        for s in mine:
            assert set(s.labels) == label_sets[s.name], s


def test_promtool_accepts_a_live_scrape(kafka, topic, exporter, metrics_server):
    produce(kafka, topic, {0: 1})
    wait_for(metrics_server, lambda f: sample(f, "kafka_messages_total", topic=topic) == 1)
    result = promtool("check", "metrics", stdin=scrape(metrics_server))
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_topics_are_skipped_not_auto_created(kafka):
    missing = f"missing-{uuid.uuid4().hex[:8]}"
    exp = OffsetsExporter(kafka, watch=Watch.of([missing]))
    try:
        readings = exp.read_once()
        assert readings is not None and readings.appended == {}
    finally:
        exp.stop()
    admin = KafkaAdminClient(bootstrap_servers=kafka.bootstrap_list)
    try:
        assert missing not in admin.list_topics()
    finally:
        admin.close()
