"""One learner's recent events, read back from their partition of a topic.

For a count the events imply (how many runs of an exercise, since when) without
state in the function: every replica reads the same log and gets the same answer.
Keyed by userId, a learner's events all sit in one partition, found with the
producer's own partitioner (murmur2, as Java's and kafka-python's default). The
read starts at the first offset at or after ``since`` and stops at the fetch high
watermark (ListOffsets LATEST is not trusted: the embedded broker gets it wrong for
multi-record batches), so its cost is that partition's traffic over the window.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from learnflow.events import Envelope, InvalidEvent, KafkaRecord, PublishError, Topic, from_record

from ._partitioner import partition_for
from ._settings import KafkaSettings, kafka_settings

CATCH_UP_WAIT_MS = 10
"""fetch.max.wait.ms of a history read: the one consumer of ours not on FETCH_WAIT_MS, and why.
A read stops at the high watermark, so it never waits for new records; but kafka-python's
poll sends the next fetch before it hands back the records it drained, and that fetch sits
at the partition's end for its whole wait. The next read (another learner, moments later)
queues its requests behind it on the same connection, as Kafka orders them: with 500 ms
each completion check would take half a second. Not 0: the embedded broker answers a fetch
that may not wait with no records at all."""


class HistoryUnavailable(PublishError):
    """The learner's events could not be read this time; transient like a failed publish (503, retried)."""


class LearnerHistory:
    """Reads learners' histories through one consumer kept open between reads, one read at a time.

    Opening a consumer (bootstrap, metadata) costs more than a short read: a function
    keeps one for its life. A Kafka failure drops it, and the next read opens another.
    """

    def __init__(self, settings: KafkaSettings | None = None, *, timeout_s: float = 10.0) -> None:
        self._settings = settings
        self.timeout_s = timeout_s
        self._consumer: KafkaConsumer | None = None
        self._lock = threading.Lock()

    def read(self, topic: Topic, user_id: uuid.UUID, since: datetime) -> list[Envelope]:
        """The valid events of ``user_id`` on ``topic`` from ``since`` on, in log order."""
        with self._lock:
            try:
                return self._read(self._get(), topic, user_id, since)
            except KafkaError as exc:
                self._discard()
                raise HistoryUnavailable(f"cannot read {topic.name}: {exc}") from exc
            except HistoryUnavailable:
                self._discard()
                raise

    def _get(self) -> KafkaConsumer:
        if self._consumer is None:
            settings = self._settings = self._settings or kafka_settings()
            self._consumer = KafkaConsumer(**settings.consumer_config(None, fetch_max_wait_ms=CATCH_UP_WAIT_MS))
        return self._consumer

    def _discard(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            consumer.close()

    def close(self) -> None:
        with self._lock:
            self._discard()

    def _read(self, consumer: KafkaConsumer, topic: Topic, user_id: uuid.UUID, since: datetime) -> list[Envelope]:
        key = str(user_id).encode()
        deadline = time.monotonic() + self.timeout_s
        partitions = consumer.partitions_for_topic(topic.name)
        if not partitions:
            raise HistoryUnavailable(f"{topic.name} has no partitions (does it exist?)")
        tp = TopicPartition(topic.name, sorted(partitions)[partition_for(key, len(partitions))])
        consumer.assign([tp])
        found = consumer.offsets_for_times({tp: int(since.timestamp() * 1000)}).get(tp)
        if found is None:
            return []  # nothing written since
        consumer.seek(tp, found.offset)
        events: list[Envelope] = []
        while True:
            batch = consumer.poll(timeout_ms=200)
            for record in batch.get(tp, []):
                if record.key != key:
                    continue
                try:
                    event = from_record(KafkaRecord(record.key, record.value, list(record.headers)), topic)
                except InvalidEvent:
                    continue  # poison is not history
                if event.timestamp >= since:  # the broker may place the start early (store time)
                    events.append(event)
            high = consumer.highwater(tp)
            if high is not None and consumer.position(tp) >= high:
                return events
            if time.monotonic() > deadline:
                raise HistoryUnavailable(f"reading {tp.topic}[{tp.partition}] took over {self.timeout_s:.0f} s")


def learner_events(
    topic: Topic, user_id: uuid.UUID, since: datetime, *, settings: KafkaSettings | None = None, timeout_s: float = 10.0
) -> list[Envelope]:
    """One read through a consumer of its own (``LearnerHistory`` keeps one open)."""
    history = LearnerHistory(settings, timeout_s=timeout_s)
    try:
        return history.read(topic, user_id, since)
    finally:
        history.close()
