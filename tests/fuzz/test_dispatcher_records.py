"""Hostile Kafka records through the dispatcher into the real triage function: each one accounted for.

One batch of hypothesis-generated records (random keys, values and headers; ``ce_*``
headers with junk; structured content type over junk; bad UTF-8; empty and null values)
goes onto a fresh topic, read by a Dispatcher built from triage's own KafkaSource (moved
to that topic, backoff shortened). One dispatcher run serves the whole batch: starting
one costs about a second of group join, too much per example.

Reconciled afterwards: the committed offsets reach the end of every partition (nothing
missing, nothing stuck), every record was either delivered or dead-lettered, and every
dead letter says why: a non-retryable 4xx in ``knativeerrorcode`` and a reason, the
function's ``kne-reason`` (``ce_reason``) or its body (``knativeerrordata``).
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from kafka import KafkaConsumer, TopicPartition

from learnflow.events import KafkaRecord
from learnflow.local._admin import ensure_topics
from learnflow.local._function_server import FunctionServer
from learnflow.local.manifests import KafkaSource, load_eventing
from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.sink import SinkWriter
from learnflow.serverless import KafkaSettings, Publisher

from ..support.kafka import KafkaProbe
from .strategies import FuzzRecord, kafka_records

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BATCH = 150
PARTITIONS = 3
HANG = 60.0  # seconds for the whole batch to be finished; only a stuck partition gets near it


def generate_records(n: int) -> list[FuzzRecord]:
    """``n`` records drawn by hypothesis (generation only: one batch, nothing to shrink)."""
    collected: list[FuzzRecord] = []

    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None, suppress_health_check=list(HealthCheck))
    @given(record=kafka_records())
    def collect(record: FuzzRecord) -> None:
        collected.append(record)

    collect()
    return collected


def fuzz_source(topic: str, group: str) -> KafkaSource:
    """triage's KafkaSource, on ``topic`` with its own group and DLQ, retrying after 20, 40, 80 ms."""
    base = load_eventing(PROJECT_ROOT).sources["triage"]
    dls = dataclasses.replace(base.delivery.dead_letter_sink, topic=f"{topic}.dlq")
    delivery = dataclasses.replace(base.delivery, dead_letter_sink=dls, backoff_delay=0.01)
    return dataclasses.replace(base, topics=(topic,), consumer_group=group, delivery=delivery)


@pytest.fixture(scope="module")
def triage(kafka: KafkaSettings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FunctionServer]:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_BROKER_KIND": kafka.broker_kind.value,
        "LEARNFLOW_PUBLISH_TIMEOUT_S": "5",
    }
    server = FunctionServer("triage", env=env, log_path=tmp_path_factory.mktemp("fuzz") / "triage.log")
    try:
        yield server.start()
    finally:
        server.stop()


def committed(kafka: KafkaSettings, group: str, topic: str) -> int:
    consumer = KafkaConsumer(**kafka.consumer_config(group))
    try:
        tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        return sum(consumer.committed(tp) or 0 for tp in tps)
    finally:
        consumer.close(autocommit=False)


def header(record: KafkaRecord, name: str) -> str | None:
    return record.header_text(name)


def test_every_record_is_delivered_or_dead_lettered_with_its_reason(
    kafka: KafkaSettings, triage: FunctionServer, kafka_probe: KafkaProbe
) -> None:
    topic = f"fuzz-{uuid.uuid4().hex[:8]}"
    group = f"g-{topic}"
    ensure_topics(kafka, {topic: PARTITIONS, f"{topic}.dlq": 1})
    records = generate_records(BATCH)
    publisher = Publisher("fuzz", settings=kafka)
    source = fuzz_source(topic, group)
    dispatcher = Dispatcher(
        source, triage.url.rstrip("/") + source.sink.path, kafka, SinkWriter(source.delivery.dead_letter_sink, publisher)
    )
    try:
        for r in records:
            publisher.send_record(topic, KafkaRecord(r.key, r.value, r.headers))
        dispatcher.start()
        deadline = time.monotonic() + HANG
        while committed(kafka, group, topic) < len(records) and time.monotonic() < deadline:
            time.sleep(0.2)
        done = committed(kafka, group, topic)
        stats = dispatcher.stats
    finally:
        dispatcher.stop()
        publisher.close()

    assert done == len(records), f"offsets stuck at {done} of {len(records)}: a record neither delivered nor dead-lettered"
    assert triage.running(), "the function died"
    assert stats.delivered + stats.dead_lettered == len(records), stats
    print(f"fuzz: {stats.delivered} delivered, {stats.dead_lettered} dead-lettered")
    dead = kafka_probe.wait_for(f"{topic}.dlq", lambda r: True, count=stats.dead_lettered, timeout=15)
    assert len(dead) == stats.dead_lettered
    for letter in dead:
        code = header(letter, "ce_knativeerrorcode")
        assert code is not None and 400 <= int(code) < 500, f"dead letter without a 4xx (a crash or a hang?): {letter}"
        assert header(letter, "ce_reason") or header(letter, "ce_knativeerrordata"), f"dead letter without a reason: {letter}"
