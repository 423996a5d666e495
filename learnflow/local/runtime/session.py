"""A dispatcher's membership in its consumer group: one KafkaConsumer, made and closed here.

kafka-python's consumer is not thread-safe, so only the dispatcher's poll thread calls a
session. Rebalances reach the dispatcher inside ``poll``, through the two callbacks. After
a lost broker the dispatcher closes the session and opens a new consumer, which rejoins.

Only kafka-python's public API is used, so a ``consumer_factory`` may hand back any
object with the same methods (the unit tests' fake consumer does).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from kafka import ConsumerRebalanceListener, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

log = logging.getLogger(__name__)

ConsumerFactory = Callable[..., Any]
OnRebalance = Callable[[set[TopicPartition]], None]


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]  # kafka-python ships no types
    def __init__(self, on_assigned: OnRebalance, on_revoked: OnRebalance) -> None:
        self._on_assigned, self._on_revoked = on_assigned, on_revoked

    def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        self._on_revoked(set(revoked))

    def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        self._on_assigned(set(assigned))


class ConsumerSession:
    """Open, poll, commit, read positions, close; ``open`` again after a close or a failure."""

    def __init__(
        self,
        factory: ConsumerFactory,
        config: Mapping[str, Any],
        topics: Sequence[str],
        *,
        on_assigned: OnRebalance,
        on_revoked: OnRebalance,
        name: str = "dispatcher",
    ) -> None:
        self._factory = factory
        self._config = dict(config)
        self._topics = list(topics)
        self._listener = _Listener(on_assigned, on_revoked)
        self._name = name
        self._consumer: Any = None

    @property
    def is_open(self) -> bool:
        return self._consumer is not None

    def open(self) -> None:
        """A new consumer, subscribed; partitions arrive through ``on_assigned`` in a later poll."""
        consumer = self._factory(**self._config)
        try:
            consumer.subscribe(self._topics, listener=self._listener)
        except BaseException:
            self._close_quietly(consumer)
            raise
        self._consumer = consumer
        log.info("%s: consuming %s as group %s", self._name, ",".join(self._topics), self._config.get("group_id"))

    def close(self) -> None:
        consumer, self._consumer = self._consumer, None  # first: a revoke during close commits nothing
        if consumer is not None:
            self._close_quietly(consumer)

    @staticmethod
    def _close_quietly(consumer: Any) -> None:
        try:
            consumer.close(autocommit=False)
        except Exception:  # a consumer that lost its broker may fail to close; it holds nothing we need
            log.debug("closing consumer failed", exc_info=True)

    def poll(self, timeout_ms: int, max_records: int) -> Mapping[TopicPartition, list[Any]]:
        """Records by partition; KafkaError when the broker is lost (the caller reopens)."""
        batches: Mapping[TopicPartition, list[Any]] = self._open().poll(timeout_ms=timeout_ms, max_records=max_records)
        return batches

    def commit(self, offsets: Mapping[TopicPartition, int]) -> bool:
        """Commit ``offsets`` (Kafka's "next to read"); False if it must wait for the next round."""
        if not offsets or self._consumer is None:
            return False
        try:
            self._consumer.commit({tp: OffsetAndMetadata(offset, "", -1) for tp, offset in offsets.items()})
        except KafkaError as exc:
            # A rebalance or a broker blip; the same offsets are committed next round.
            log.info("%s: commit deferred: %s", self._name, exc)
            return False
        return True

    def highwater(self, tp: TopicPartition) -> int | None:
        """The last fetch answer's high watermark (right on Tansu, unlike its end offsets)."""
        high: int | None = self._open().highwater(tp)
        return high

    def position(self, tp: TopicPartition) -> int | None:
        """The next offset this consumer reads, if known without asking the broker."""
        try:
            position: int | None = self._open().position(tp, timeout_ms=0)
        except KafkaError:
            return None
        return position

    def _open(self) -> Any:
        if self._consumer is None:
            raise RuntimeError("the consumer session is closed: open() it first")
        return self._consumer
