"""A dispatcher wired to the scripted test function on a topic of its own."""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from pathlib import Path
from typing import Any

from kafka import KafkaAdminClient

from learnflow.events import CloudEventMessage, to_binary
from learnflow.local._admin import ensure_topics
from learnflow.local.manifests import KafkaSource, load_eventing
from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.sink import SinkWriter
from learnflow.serverless import KafkaSettings, Publisher

FIXTURE_EVENTING = Path(__file__).resolve().parent.parent / "data" / "eventing"
SCRIPTED_SOURCE = Path(__file__).resolve().parent.parent / "data" / "functions" / "scripted" / "main.py"


def scripted_source(topic: str, group: str, **delivery: Any) -> KafkaSource:
    """The fixture KafkaSource, moved to ``topic`` and ``group``; delivery fields overridable."""
    base = load_eventing(FIXTURE_EVENTING).sources["scripted"]
    dls = dataclasses.replace(base.delivery.dead_letter_sink, topic=f"{topic}.dlq")
    new_delivery = dataclasses.replace(base.delivery, dead_letter_sink=dls, **delivery)
    return dataclasses.replace(base, topics=(topic,), consumer_group=group, delivery=new_delivery)


class ScriptedRun:
    """Produce scripted events, run a dispatcher, read the function's log and the DLQ."""

    def __init__(self, kafka: KafkaSettings, url: str, log: Path, *, partitions: int = 3, **delivery: Any) -> None:
        self.kafka = kafka
        self.url = url
        self.log = log
        self.topic = f"scripted-{uuid.uuid4().hex[:8]}"
        self.group = f"g-{self.topic}"
        ensure_topics(kafka, {self.topic: partitions, f"{self.topic}.dlq": 1})
        self.source = scripted_source(self.topic, self.group, **delivery)
        self.publisher = Publisher("test", settings=kafka)
        self.dispatcher: Dispatcher | None = None

    def dispatcher_for(self, dead_letter_publisher: Publisher | None = None, **options: Any) -> Dispatcher:
        writer = SinkWriter(self.source.delivery.dead_letter_sink, dead_letter_publisher or self.publisher)
        return Dispatcher(self.source, self.url, self.kafka, writer, **options)

    def start(self, dead_letter_publisher: Publisher | None = None, **options: Any) -> Dispatcher:
        """Start a dispatcher; ``options`` are Dispatcher keyword arguments."""
        self.dispatcher = self.dispatcher_for(dead_letter_publisher, **options).start()
        return self.dispatcher

    def send(self, data: dict[str, Any], key: str = "user-1", event_id: str | None = None) -> str:
        event_id = event_id or str(uuid.uuid4())
        message = CloudEventMessage(
            {
                "specversion": "1.0",
                "id": event_id,
                "type": "test.scripted",
                "source": "/tests",
                "datacontenttype": "application/json",
                "partitionkey": key,
            },
            json.dumps(data).encode(),
        )
        self.publisher.send_record(self.topic, to_binary(message))
        return event_id

    def calls(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def wait_calls(self, predicate: Any, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            matched = [c for c in self.calls() if predicate(c)]
            if len(matched) >= count or time.monotonic() > deadline:
                return matched
            time.sleep(0.05)

    def committed(self) -> dict[int, int]:
        admin = KafkaAdminClient(bootstrap_servers=self.kafka.bootstrap_list)
        try:
            offsets = admin.list_group_offsets(self.group).get(self.group, {})
        finally:
            admin.close()
        return {tp.partition: om.offset for tp, om in offsets.items() if tp.topic == self.topic}

    def wait_committed(self, partition_total: int, timeout: float = 15.0) -> dict[int, int]:
        deadline = time.monotonic() + timeout
        while True:
            committed = self.committed()
            if sum(committed.values()) >= partition_total or time.monotonic() > deadline:
                return committed
            time.sleep(0.1)

    def close(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.stop()
        self.publisher.close()


def partition_of(key: str, partitions: int) -> int:
    """Where kafka-python's default partitioner puts ``key``."""
    from kafka.partitioner.default import murmur2

    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def keys_on_distinct_partitions(n: int, partitions: int = 3) -> list[str]:
    found: dict[int, str] = {}
    i = 0
    while len(found) < n:
        key = f"user-{i}"
        found.setdefault(partition_of(key, partitions), key)
        i += 1
    return list(found.values())[:n]
