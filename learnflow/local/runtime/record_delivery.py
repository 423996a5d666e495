"""One record, start to finish: delivered to the sink with Knative's retries, or dead-lettered.

A record that cannot even be sent (an input nobody foresaw, a bug) is dead-lettered with
the reason, like one the function refused. When the dead-letter write fails it is tried
again until it succeeds: the record is finished only once it is somewhere, so its offset
is never committed while it is nowhere. Runs on the worker threads.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from opentelemetry.trace import Span

from learnflow.events import CloudEventMessage, KafkaRecord, PublishError
from learnflow.local import _metrics as metrics
from learnflow.local._backoff import Backoff
from learnflow.local._metrics import ErrorReason
from learnflow.local.manifests import KafkaSource
from learnflow.local.runtime.events import (
    RecordOrigin,
    error_extensions,
    message_from_record,
    wrap_plain_record,
)
from learnflow.local.runtime.policy import Attempt, DeliveryVerdict
from learnflow.local.runtime.sender import DeliveryResult, Sender
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.stats import SourceStats
from learnflow.local.runtime.tracing import dead_lettered, delivery_span, describe
from learnflow.local.runtime.transport import Transport

log = logging.getLogger(__name__)

DLQ_RETRY_FIRST = 0.2  # seconds before the second dead-letter write attempt
DLQ_RETRY_MAX = 5.0  # seconds between dead-letter write attempts, at most


class RecordDelivery:
    """Delivers the records of one KafkaSource to ``url``; shared by all its workers."""

    def __init__(
        self,
        source: KafkaSource,
        url: str,
        dead_letters: SinkWriter,
        stats: SourceStats,
        stop: threading.Event,
        *,
        function: str,
        transport: Transport | None = None,
    ) -> None:
        self.source = source
        self.url = url
        self.dead_letters = dead_letters
        self.stats = stats
        self._stop = stop
        # One sender per topic, made up front: workers of several partitions share them.
        self._senders = {
            topic: Sender(
                url,
                source.delivery,
                function=function,
                topic=topic,
                consumer_group=source.consumer_group,
                namespace=source.namespace,
                stop=stop,
                transport=transport,
            )
            for topic in source.topics
        }
        self._finished = {
            (topic, outcome): metrics.DELIVERIES.labels(topic, source.consumer_group, outcome)
            for topic in source.topics
            for outcome in ("delivered", "dead_lettered")
        }

    def deliver(self, topic: str, partition: int, record: Any) -> bool:
        """Deliver or dead-letter ``record``; False if stopped before it was either."""
        kafka_record = KafkaRecord(record.key, record.value, list(record.headers or []))
        origin = RecordOrigin(self.source.namespace, self.source.name, topic, partition, record.offset, record.timestamp)
        with delivery_span(topic, partition, record.offset, self.source.consumer_group, kafka_record) as span:
            return self._deliver(topic, partition, record, kafka_record, origin, span)

    def _deliver(
        self, topic: str, partition: int, record: Any, kafka_record: KafkaRecord, origin: RecordOrigin, span: Span
    ) -> bool:
        message: CloudEventMessage | None = None
        try:
            message = message_from_record(kafka_record, origin)
            describe(span, message)
            result = self._senders[topic].deliver(message)
        except Exception as exc:
            if self._stop.is_set():
                return False  # stopping closes the connections under a request: not the record's fault
            # A record that cannot even be sent must not kill this partition's worker: that
            # would stop the partition for good, silently.
            log.exception("%s: cannot deliver %s[%d]@%d, dead-lettering it", self.source.name, topic, partition, record.offset)
            message = message or wrap_plain_record(kafka_record, origin)
            reason = f"undeliverable: {type(exc).__name__}: {exc}"
            result = DeliveryResult(DeliveryVerdict.DEAD_LETTER, Attempt(body=reason.encode(), detail=reason), 0)
        if result.stopped:
            return False
        if result.verdict is DeliveryVerdict.DELIVERED:
            if record.timestamp and record.timestamp > 0:
                metrics.DELIVERY_LATENCY.labels(topic).observe(max(0.0, time.time() - record.timestamp / 1000))
            self._finished[(topic, "delivered")].inc()
            self.stats.count_delivered()
            return True
        dead_lettered(span, result.last.detail or result.last.outcome_label)
        if not self._dead_letter(topic, message.with_extensions(error_extensions(self.url, result.last))):
            return False  # stopped before the dead letter was written: leave it uncommitted
        self._finished[(topic, "dead_lettered")].inc()
        self.stats.count_dead_lettered()
        return True

    def _dead_letter(self, topic: str, message: CloudEventMessage) -> bool:
        """Write to the dead-letter sink until it succeeds; False if stopped first."""
        backoff = Backoff(first=DLQ_RETRY_FIRST, ceiling=DLQ_RETRY_MAX)
        while not self._stop.is_set():
            try:
                self.dead_letters.write(message)
            except PublishError as exc:
                metrics.CONSUMER_ERRORS.labels(topic, ErrorReason.DEAD_LETTER_WRITE.value).inc()
                delay = backoff.next_delay()
                log.error("%s: dead-letter write failed, retrying in %.1f s: %s", self.source.name, delay, exc)
                self._stop.wait(delay)
                continue
            log.info("%s: dead-lettered %s to %s", self.source.name, message.id, self.dead_letters.topic)
            return True
        return False

    def close(self) -> None:
        for sender in self._senders.values():
            sender.close()
