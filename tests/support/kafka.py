"""Reading what landed on a topic, for assertions: poll until a predicate holds."""

from __future__ import annotations

import time
from collections.abc import Callable

from kafka import KafkaConsumer, TopicPartition

from learnflow.events import KafkaRecord
from learnflow.serverless import KafkaSettings


class KafkaProbe:
    """Reads topics from the beginning (no group), so tests see every record."""

    def __init__(self, settings: KafkaSettings) -> None:
        self.settings = settings
        self._consumers: dict[str, KafkaConsumer] = {}
        self._seen: dict[str, list[KafkaRecord]] = {}

    def _consumer(self, topic: str) -> KafkaConsumer:
        if topic not in self._consumers:
            consumer = KafkaConsumer(**self.settings.consumer_config(None, fetch_max_wait_ms=100))
            parts = consumer.partitions_for_topic(topic) or set()
            deadline = time.monotonic() + 5
            while not parts and time.monotonic() < deadline:
                time.sleep(0.1)
                parts = consumer.partitions_for_topic(topic) or set()
            tps = [TopicPartition(topic, p) for p in sorted(parts)]
            consumer.assign(tps)
            consumer.seek_to_beginning(*tps)
            self._consumers[topic] = consumer
            self._seen[topic] = []
        return self._consumers[topic]

    def records(self, topic: str) -> list[KafkaRecord]:
        """Everything read from ``topic`` so far, after one more poll."""
        consumer = self._consumer(topic)
        for batch in consumer.poll(timeout_ms=200).values():
            for r in batch:
                self._seen[topic].append(KafkaRecord(r.key, r.value, list(r.headers or [])))
        return list(self._seen[topic])

    def wait_for(
        self, topic: str, predicate: Callable[[KafkaRecord], bool], count: int = 1, timeout: float = 15.0
    ) -> list[KafkaRecord]:
        """Poll until ``count`` records on ``topic`` satisfy ``predicate``."""
        deadline = time.monotonic() + timeout
        while True:
            matched = [r for r in self.records(topic) if predicate(r)]
            if len(matched) >= count or time.monotonic() > deadline:
                return matched
            time.sleep(0.05)

    def close(self) -> None:
        for consumer in self._consumers.values():
            consumer.close()
        self._consumers.clear()
