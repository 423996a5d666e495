"""Read a whole topic from the beginning, without a consumer group.

The end of each partition is taken from the Fetch high watermark, not from
ListOffsets: the embedded broker answers ListOffsets LATEST wrongly for batches.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition

from learnflow.events import KafkaRecord, UnknownTopic
from learnflow.serverless import KafkaSettings


@dataclass(frozen=True)
class StoredRecord:
    partition: int
    offset: int
    timestamp_ms: int
    record: KafkaRecord


def read_topic(settings: KafkaSettings, topic: str, timeout: float = 10.0) -> Iterator[StoredRecord]:
    """Every record now in ``topic``, partition by partition order of arrival."""
    consumer = KafkaConsumer(**settings.consumer_config(None, bootstrap_timeout_ms=int(timeout * 1000)))
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise UnknownTopic(topic, sorted(consumer.topics()))
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        deadline = time.monotonic() + timeout
        pending = set(tps)
        while pending and time.monotonic() < deadline:
            for tp, batch in consumer.poll(timeout_ms=200, max_records=2000).items():
                for r in batch:
                    yield StoredRecord(tp.partition, r.offset, r.timestamp, KafkaRecord(r.key, r.value, list(r.headers or [])))
            for tp in list(pending):
                high = consumer.highwater(tp)
                if high is not None and consumer.position(tp) >= high:
                    pending.discard(tp)
    finally:
        consumer.close()
