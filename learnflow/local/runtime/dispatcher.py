"""A KafkaSource, locally: consume a topic with its group and deliver to its sink.

Behaves as DESIGN §3 and the manifest declare: ordered sources deliver one record at a
time per partition (partitions in parallel), unordered ones up to a bound in flight;
each record is delivered with retries, dead-lettered when it fails for good, and its
offset committed only once it and every earlier record has finished. When the
dead-letter write fails, it is retried until it succeeds: nothing is committed, so
nothing is lost. On stop, unfinished records are abandoned uncommitted and will be
delivered again on the next start.

The KafkaConsumer is not thread-safe, so one poll thread owns it: workers report
finished offsets back through a queue and the poll thread commits.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from learnflow.events import KafkaRecord, PublishError
from learnflow.local import _metrics as metrics
from learnflow.local._metrics import ErrorReason
from learnflow.local.manifests import KafkaSource
from learnflow.local.runtime.events import (
    CloudEventMessage,
    RecordOrigin,
    error_extensions,
    message_from_record,
    wrap_plain_record,
)
from learnflow.local.runtime.fetch_wait import FetchWait
from learnflow.local.runtime.offsets import PartitionProgress
from learnflow.local.runtime.policy import Attempt, DeliveryVerdict
from learnflow.local.runtime.sender import DeliveryResult, Sender
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.transport import Transport
from learnflow.serverless import KafkaSettings

log = logging.getLogger(__name__)

DEFAULT_UNORDERED_IN_FLIGHT = 50  # KafkaSource's unordered bound is max.poll.records, 50 by default
BUFFER_LIMIT = 1000  # records taken but unfinished before polling waits (ordered sources)
COMMIT_INTERVAL = 0.1  # seconds between commits: after a crash, at most this much is delivered twice
DLQ_RETRY_MAX = 5.0  # seconds between dead-letter write attempts, at most
# kafka-python 3.0.12 can miss the wake-up for a fetch answer that lands while poll() sets up
# its wait: poll then sleeps out its whole timeout with the records already buffered (seen
# as 100 ms stalls of every partition at once, with 100). A short timeout bounds that loss.
POLL_TIMEOUT_MS = 10

ConsumerFactory = Callable[..., Any]


@dataclass
class SourceStats:
    """What the status table shows for one source; written by the poll thread only."""

    received: int = 0
    delivered: int = 0
    dead_lettered: int = 0
    lag: dict[int, int] = field(default_factory=dict)
    connected: bool = False


class _Listener(ConsumerRebalanceListener):
    def __init__(self, dispatcher: Dispatcher) -> None:
        self._d = dispatcher

    def on_partitions_revoked(self, revoked: Any) -> None:
        self._d._revoke(set(revoked))

    def on_partitions_assigned(self, assigned: Any) -> None:
        self._d._assign(set(assigned))


class Dispatcher:
    """One KafkaSource: a consumer group on its topics, delivering to ``url``."""

    def __init__(
        self,
        source: KafkaSource,
        url: str,
        settings: KafkaSettings,
        dead_letters: SinkWriter,
        *,
        function: str | None = None,
        max_in_flight: int = DEFAULT_UNORDERED_IN_FLIGHT,
        consumer_factory: ConsumerFactory = KafkaConsumer,
        transport: Transport | None = None,
        fetch_wait_ms: int | None = None,
    ) -> None:
        self.source = source
        self.url = url
        self.settings = settings
        self.dead_letters = dead_letters
        self.function = function or source.sink.service
        self.ordered = source.ordering == "ordered"
        self.max_in_flight = max_in_flight
        self.stats = SourceStats()
        self._consumer_factory = consumer_factory
        self._transport = transport
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._done: queue.Queue[tuple[TopicPartition, int, int]] = queue.Queue()
        self._progress: dict[TopicPartition, PartitionProgress] = {}
        self._generation: dict[TopicPartition, int] = {}
        self._queues: dict[TopicPartition, queue.Queue[Any]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._consumer: Any = None
        self._senders: dict[str, Sender] = {}
        self._last_commit = 0.0
        self._ends: dict[TopicPartition, int] = {}  # end offsets asked for while no high watermark is known
        self._ends_checked_at = 0.0
        self.fetch_wait = FetchWait(settings.fetch_wait_ms() if fetch_wait_ms is None else fetch_wait_ms)

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> Dispatcher:
        if not self.ordered:
            self._pool = ThreadPoolExecutor(self.max_in_flight, thread_name_prefix=f"{self.source.name}-unordered")
        self._thread = threading.Thread(target=self._run, name=f"dispatcher-{self.source.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop polling and delivering; commit what finished, abandon what did not."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        for q in self._queues.values():
            q.put(None)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        for sender in self._senders.values():
            sender.close()

    def _sender(self, topic: str) -> Sender:
        if topic not in self._senders:
            self._senders[topic] = Sender(
                self.url,
                self.source.delivery,
                function=self.function,
                topic=topic,
                consumer_group=self.source.consumer_group,
                namespace=self.source.namespace,
                stop=self._stop,
                transport=self._transport,
            )
        return self._senders[topic]

    # -- the poll thread -------------------------------------------------------------

    def _run(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            try:
                if self._consumer is None:
                    self._consumer = self._connect()
                    backoff = 0.2
                self._poll_once()
            except KafkaError as exc:
                self.stats.connected = False
                self.fetch_wait.interrupted()
                log.warning("%s: Kafka error, reconnecting in %.1f s: %s", self.source.name, backoff, exc)
                self._close_consumer(commit=False)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self._drain_done()
        self._close_consumer(commit=True)

    def _connect(self) -> Any:
        config = self.settings.consumer_config(
            self.source.consumer_group,
            auto_offset_reset="earliest" if self.source.initial_offset == "earliest" else "latest",
            fetch_max_wait_ms=self.fetch_wait.current_ms,
            max_poll_records=500,
            bootstrap_timeout_ms=5000,
        )
        consumer = self._consumer_factory(**config)
        consumer.subscribe(list(self.source.topics), listener=_Listener(self))
        self.stats.connected = True
        log.info("%s: consuming %s as group %s", self.source.name, ",".join(self.source.topics), self.source.consumer_group)
        return consumer

    def _close_consumer(self, commit: bool) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is None:
            return
        if commit:
            self._commit(consumer)
        try:
            consumer.close(autocommit=False)
        except Exception:  # a consumer that lost its broker may fail to close; it holds nothing we need
            log.debug("closing consumer failed", exc_info=True)

    def _poll_once(self) -> None:
        consumer = self._consumer
        self._drain_done()
        now = time.monotonic()
        if now - self._last_commit >= COMMIT_INTERVAL:
            self._commit(consumer)
            self._update_lag(consumer)  # at the commit's pace: it reads positions, not every 10 ms poll
            self._last_commit = now
        room = self._room()
        if room <= 0:
            # Backpressure by not polling, rather than pause()/resume(): kafka-python
            # 3.0 was seen to stop returning a resumed partition's remaining records.
            # Heartbeats run on their own thread; max_poll_interval_ms bounds the wait.
            self.fetch_wait.interrupted()
            self._stop.wait(0.01)
        else:
            batches = consumer.poll(timeout_ms=POLL_TIMEOUT_MS, max_records=min(room, 500))
            for tp, records in batches.items():
                for record in records:
                    self._dispatch(tp, record)
            self._watch_fetches(consumer, received=bool(batches))

    def _watch_fetches(self, consumer: Any, received: bool) -> None:
        """Raise the fetch wait when the broker starves this consumer."""
        behind = not received and self._behind(consumer)  # only an empty poll needs the look
        raised = self.fetch_wait.observe(time.monotonic(), received=received, behind=behind)
        if raised is None:
            return
        log.warning(
            "%s: records are waiting but none arrived for %.0f s (broker starving or unreachable); fetch wait raised to %d ms",
            self.source.name,
            self.fetch_wait.patience_s,
            raised,
        )
        # kafka-python reads its fetcher's config for every FetchRequest: changed in place,
        # the new wait applies from the next fetch, without leaving the group.
        config = getattr(getattr(consumer, "_fetcher", None), "config", None)
        if isinstance(config, dict) and "fetch_max_wait_ms" in config:
            config["fetch_max_wait_ms"] = raised
            return
        self._close_consumer(commit=True)  # a client we cannot tune is made anew with the new wait

    def _behind(self, consumer: Any) -> bool:
        """Whether any assigned partition has records past this consumer's position."""
        unknown: dict[TopicPartition, int] = {}
        for tp in list(self._progress):
            try:
                position = consumer.position(tp, timeout_ms=0)
            except KafkaError:
                continue
            if position is None:
                continue
            high = consumer.highwater(tp)
            if high is None:
                unknown[tp] = position
            elif position < high:
                return True
        if not unknown:
            return False
        # No fetch answer has carried a high watermark yet (a broker may answer a starved
        # fetch with no partition data at all): ask for the end offsets, at most twice a second.
        # On Tansu these can fall short of the true end, never past it: no false 'behind'.
        now = time.monotonic()
        if now - self._ends_checked_at >= 0.5:
            self._ends_checked_at = now
            try:
                self._ends = consumer.end_offsets(list(unknown), timeout_ms=1000)
            except KafkaError:
                self._ends = {}
        return any(position < self._ends.get(tp, 0) for tp, position in unknown.items())

    @property
    def in_flight(self) -> int:
        """Records taken from Kafka and not yet delivered or dead-lettered."""
        return sum(p.in_flight for p in list(self._progress.values()))

    def _room(self) -> int:
        """How many more records may be taken now."""
        in_flight = self.in_flight
        limit = BUFFER_LIMIT if self.ordered else self.max_in_flight
        return limit - in_flight

    def _dispatch(self, tp: TopicPartition, record: Any) -> None:
        progress = self._progress.get(tp)
        if progress is None:  # a record of a partition revoked in this very poll
            return
        progress.started(record.offset)
        self.stats.received += 1
        item = (tp, self._generation.get(tp, 0), record)
        if self.ordered:
            self._queues[tp].put(item)
        else:
            assert self._pool is not None
            self._pool.submit(self._process, *item)

    def _drain_done(self) -> None:
        while True:
            try:
                tp, generation, offset = self._done.get_nowait()
            except queue.Empty:
                return
            if self._generation.get(tp) == generation and tp in self._progress:
                self._progress[tp].finished(offset)

    def _commit(self, consumer: Any) -> None:
        offsets = {}
        for tp, progress in self._progress.items():
            point = progress.committable()
            if point is not None:
                offsets[tp] = OffsetAndMetadata(point, "", -1)
        if not offsets:
            return
        try:
            consumer.commit(offsets)
        except KafkaError as exc:
            # A rebalance or a broker blip; the same offsets are committed next round.
            log.info("%s: commit deferred: %s", self.source.name, exc)
            return
        for tp, om in offsets.items():
            self._progress[tp].mark_committed(om.offset)

    def _update_lag(self, consumer: Any) -> None:
        for tp, progress in self._progress.items():
            high = consumer.highwater(tp)  # the Fetch high watermark: right on Tansu too
            if high is None:
                continue
            # Until this assignment commits, what the group holds is where reading resumed.
            base = progress.committed if progress.committed is not None else progress.resumed_at
            if base is None:
                try:
                    base = progress.resumed_at = consumer.position(tp, timeout_ms=0)
                except KafkaError:
                    continue
            self.stats.lag[tp.partition] = max(0, high - (base or 0))

    # -- rebalance (called inside poll, on the poll thread) ----------------------------

    def _assign(self, assigned: set[TopicPartition]) -> None:
        for tp in assigned:
            self._progress[tp] = PartitionProgress()
            self._generation[tp] = self._generation.get(tp, 0) + 1
            if self.ordered and tp not in self._queues:
                q: queue.Queue[Any] = queue.Queue()
                self._queues[tp] = q
                threading.Thread(
                    target=self._partition_worker, args=(q,), name=f"{self.source.name}-{tp.partition}", daemon=True
                ).start()

    def _revoke(self, revoked: set[TopicPartition]) -> None:
        self._drain_done()
        if self._consumer is not None:
            self._commit(self._consumer)
        for tp in revoked:
            self._progress.pop(tp, None)
            # Queued records of this generation are skipped; the new owner reads them again.
            self._generation[tp] = self._generation.get(tp, 0) + 1

    # -- workers ---------------------------------------------------------------------

    def _partition_worker(self, q: queue.Queue[Any]) -> None:
        while True:
            item = q.get()
            if item is None or self._stop.is_set():
                return
            self._process(*item)

    def _process(self, tp: TopicPartition, generation: int, record: Any) -> None:
        if self._stop.is_set() or self._generation.get(tp) != generation:
            return
        kafka_record = KafkaRecord(record.key, record.value, list(record.headers or []))
        origin = RecordOrigin(self.source.namespace, self.source.name, tp.topic, tp.partition, record.offset, record.timestamp)
        message: CloudEventMessage | None = None
        try:
            message = message_from_record(kafka_record, origin)
            result = self._sender(tp.topic).deliver(message)
        except Exception as exc:
            # A record that cannot even be sent (an input nobody foresaw, a bug) must not kill
            # this partition's worker: that would stop the partition for good, silently.
            log.exception(
                "%s: cannot deliver %s[%d]@%d, dead-lettering it", self.source.name, tp.topic, tp.partition, record.offset
            )
            message = message or wrap_plain_record(kafka_record, origin)
            reason = f"undeliverable: {type(exc).__name__}: {exc}"
            result = DeliveryResult(DeliveryVerdict.DEAD_LETTER, Attempt(body=reason.encode(), detail=reason), 0)
        if result.stopped:
            return
        if result.verdict is DeliveryVerdict.DELIVERED:
            outcome = "delivered"
            if record.timestamp and record.timestamp > 0:
                metrics.DELIVERY_LATENCY.labels(tp.topic).observe(max(0.0, time.time() - record.timestamp / 1000))
        else:
            if not self._dead_letter(tp.topic, message.with_extensions(error_extensions(self.url, result.last))):
                return  # stopped before the dead letter was written: leave it uncommitted
            outcome = "dead_lettered"
        metrics.DELIVERIES.labels(tp.topic, self.source.consumer_group, outcome).inc()
        if outcome == "delivered":
            self.stats.delivered += 1
        else:
            self.stats.dead_lettered += 1
        self._done.put((tp, generation, record.offset))

    def _dead_letter(self, topic: str, message: CloudEventMessage) -> bool:
        """Write to the dead-letter sink until it succeeds; False if stopped first."""
        wait = 0.2
        while not self._stop.is_set():
            try:
                self.dead_letters.write(message)
                log.info("%s: dead-lettered %s to %s", self.source.name, message.id, self.dead_letters.topic)
                return True
            except PublishError as exc:
                metrics.CONSUMER_ERRORS.labels(topic, ErrorReason.DEAD_LETTER_WRITE.value).inc()
                log.error("%s: dead-letter write failed, retrying in %.1f s: %s", self.source.name, wait, exc)
                self._stop.wait(wait)
                wait = min(wait * 2, DLQ_RETRY_MAX)
        return False
