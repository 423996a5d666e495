"""Publishing events to Kafka: one lazily created producer per publisher.

Each publish waits for the broker's acknowledgement (acks=all) within a timeout before
the caller answers, so a function only reports success for what Kafka holds. After a
failure the producer is discarded and built anew on the next call: an idempotent
producer does not survive a broker restart (its producer id is gone).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from kafka import KafkaProducer
from kafka.errors import KafkaError

from learnflow.events import Envelope, KafkaRecord, PublishError, Topic, ce_source, to_record, topic_of
from learnflow.serverless._settings import KafkaSettings, kafka_settings
from learnflow.serverless._spans import send_span

log = logging.getLogger(__name__)


class ProducerLike(Protocol):
    def send(self, topic: str, value: Any = ..., key: Any = ..., headers: Any = ...) -> Any: ...
    def flush(self, timeout: float | None = ...) -> None: ...
    def close(self, timeout: float | None = ...) -> None: ...


ProducerFactory = Callable[[KafkaSettings], ProducerLike]


def _kafka_producer(settings: KafkaSettings) -> ProducerLike:
    producer: ProducerLike = KafkaProducer(**settings.producer_config())
    return producer


class Publisher:
    """Sends events (or raw records) to Kafka and waits for each to be acknowledged."""

    def __init__(
        self,
        producer: str,
        settings: KafkaSettings | None = None,
        producer_factory: ProducerFactory = _kafka_producer,
    ) -> None:
        self.name = producer  # the function that publishes: keys its publisher in an app
        self.source = ce_source(producer)
        self._settings = settings
        self._factory = producer_factory
        self._producer: ProducerLike | None = None
        self._lock = threading.Lock()

    @property
    def settings(self) -> KafkaSettings:
        if self._settings is None:
            self._settings = kafka_settings()
        return self._settings

    def publish(self, event: Envelope, topic: Topic | None = None) -> None:
        """Write ``event`` to its topic (or ``topic``) and wait until Kafka has it."""
        target = topic or topic_of(event)
        self.send_record(target.name, to_record(event, self.source))

    def send_record(self, topic: str, record: KafkaRecord) -> None:
        """Write a prepared record and wait for the acknowledgement; PublishError if not.

        The record goes out in a ``send <topic>`` span whose ``traceparent`` replaces any it
        had; the span ends at the acknowledgement, not when the client queued the record.
        """
        timeout = self.settings.publish_timeout_s
        with send_span(topic, record) as traced:
            try:
                producer = self._get()
                future = producer.send(topic, value=traced.value, key=traced.key, headers=list(traced.headers))
                future.get(timeout=timeout)
            except (KafkaError, OSError) as exc:
                self._discard()
                raise PublishError(f"could not publish to {topic!r}: {type(exc).__name__}: {exc}") from exc

    def _get(self) -> ProducerLike:
        with self._lock:
            if self._producer is None:
                self._producer = self._factory(self.settings)
            return self._producer

    def _discard(self) -> None:
        with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            try:
                producer.close(timeout=0)
            except Exception:  # closing a broken producer must not mask the real error
                log.debug("closing a failed producer raised", exc_info=True)

    def close(self) -> None:
        with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            producer.close(timeout=5)
