"""A KafkaSource, locally: consume a topic with its group and deliver to its sink.

Behaves as DESIGN §3 and the manifest declare: ordered sources deliver one record at a
time per partition (partitions in parallel), unordered ones up to a bound in flight;
each record is delivered with retries, dead-lettered when it fails for good, and its
offset committed only once it and every earlier record has finished. On stop,
unfinished records are abandoned uncommitted and will be delivered again on the next
start.

The dispatcher is the poll loop that joins its parts, each with one job:
- ``ConsumerSession``: the KafkaConsumer, polled and committed by this loop's thread only;
- ``CommitTracker``: which offsets may be committed, across rebalances;
- ``PartitionWorkers`` / ``PooledWorkers``: the threads that deliver records;
- ``RecordDelivery``: one record delivered or dead-lettered (``sender``, ``sink``);
- ``SourceStats``: the counts the status table shows.
"""

from __future__ import annotations

import logging
import threading
import time

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from learnflow.local import _metrics as metrics
from learnflow.local._backoff import Backoff
from learnflow.local.exporter import partition_lag
from learnflow.local.manifests import DEFAULT_MAX_POLL_RECORDS, KafkaSource
from learnflow.local.runtime.commits import CommitTracker, Work
from learnflow.local.runtime.record_delivery import RecordDelivery
from learnflow.local.runtime.session import ConsumerFactory, ConsumerSession
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.stats import LagKey, SourceStats
from learnflow.local.runtime.transport import Transport
from learnflow.local.runtime.workers import PartitionWorkers, PooledWorkers, Workers
from learnflow.serverless import KafkaSettings

log = logging.getLogger(__name__)

BUFFER_LIMIT = 1000  # records taken but unfinished before polling waits (ordered sources)
COMMIT_INTERVAL = 0.1  # seconds between commits: after a crash, at most this much is delivered twice
MAX_POLL_RECORDS = 500
RECONNECT_FIRST, RECONNECT_MAX = 0.2, 5.0  # seconds between attempts to reach a lost broker
# poll() returns as soon as a fetch answer lands (the broker answers a waiting fetch when a
# record is written: FETCH_WAIT_MS, learnflow.serverless), so its timeout costs no latency.
# It bounds how soon an idle loop notices finished records to commit, and a stop: one fetch
# wait, so an idle dispatcher wakes twice a second (measured: 10 ms polls were most of an
# idle `learnflow up`'s CPU, bench/quiet_stack.py).
POLL_TIMEOUT_MS = 500


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
        max_in_flight: int = DEFAULT_MAX_POLL_RECORDS,
        consumer_factory: ConsumerFactory = KafkaConsumer,
        transport: Transport | None = None,
        buffer_limit: int = BUFFER_LIMIT,
    ) -> None:
        self.source = source
        self.url = url
        self.ordered = source.ordering == "ordered"
        self.max_in_flight = max_in_flight
        self.buffer_limit = buffer_limit
        self.stats = SourceStats()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._tracker = CommitTracker()
        self._session = ConsumerSession(
            consumer_factory,
            settings.consumer_config(
                source.consumer_group,
                auto_offset_reset="earliest" if source.initial_offset == "earliest" else "latest",
                max_poll_records=MAX_POLL_RECORDS,
                bootstrap_timeout_ms=5000,
            ),
            source.topics,
            on_assigned=self._assigned,
            on_revoked=self._revoked,
            name=source.name,
        )
        self._delivery = RecordDelivery(
            source,
            url,
            dead_letters,
            self.stats,
            self._stop,
            function=function or source.sink.service,
            transport=transport,
        )
        self._workers: Workers | None = None
        self._last_commit = float("-inf")

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> Dispatcher:
        name = self.source.name
        if self.ordered:
            self._workers = PartitionWorkers(name, self._work)
        else:
            self._workers = PooledWorkers(name, self._work, self.max_in_flight)
        self._thread = threading.Thread(target=self._run, name=f"dispatcher-{name}", daemon=True)
        self._thread.start()
        return self

    def stopping(self) -> None:
        """Ask the poll loop to stop without waiting for it, so several dispatchers stop together."""
        self._stop.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop polling and delivering; commit what finished, abandon what did not."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._workers is not None:
            self._workers.stop()
        self._delivery.close()

    @property
    def in_flight(self) -> int:
        """Records taken from Kafka and not yet delivered or dead-lettered."""
        return self._tracker.in_flight

    # -- the poll thread -------------------------------------------------------------

    def _run(self) -> None:
        backoff = Backoff(first=RECONNECT_FIRST, ceiling=RECONNECT_MAX)
        while not self._stop.is_set():
            try:
                if not self._session.is_open:
                    self._session.open()
                    self.stats.connected = True
                    backoff.reset()
                self._poll_once()
            except KafkaError as exc:
                self.stats.connected = False
                delay = backoff.next_delay()
                log.warning("%s: Kafka error, reconnecting in %.1f s: %s", self.source.name, delay, exc)
                self._session.close()
                self._stop.wait(delay)
        self._commit()
        self._session.close()

    def _poll_once(self) -> None:
        now = time.monotonic()
        if now - self._last_commit >= COMMIT_INTERVAL:
            self._commit()
            self._read_lag()  # at the commit's pace: it reads positions, not every 10 ms poll
            self._show_in_flight()
            self._last_commit = now
        else:
            self._tracker.drain()
        room = (self.buffer_limit if self.ordered else self.max_in_flight) - self._tracker.in_flight
        if room <= 0:
            # Backpressure by not polling, rather than pause()/resume(): kafka-python
            # 3.0 was seen to stop returning a resumed partition's remaining records.
            # Heartbeats run on their own thread; max_poll_interval_ms bounds the wait.
            self._stop.wait(0.01)
            return
        batches = self._session.poll(POLL_TIMEOUT_MS, min(room, MAX_POLL_RECORDS))
        taken = 0
        assert self._workers is not None
        for tp, records in batches.items():
            for record in records:
                work = self._tracker.take(tp, record)
                if work is not None:
                    self._workers.submit(work)
                    taken += 1
        self.stats.count_received(taken)

    def _commit(self) -> None:
        self._tracker.drain()
        offsets = self._tracker.committable()
        if self._session.commit(offsets):
            self._tracker.committed(offsets)

    def _show_in_flight(self) -> None:
        in_flight = self._tracker.in_flight
        limit = len(self._tracker.partitions) if self.ordered else self.max_in_flight
        for topic in self.source.topics:
            metrics.IN_FLIGHT.labels(topic, self.source.consumer_group).set(in_flight)
            metrics.IN_FLIGHT_LIMIT.labels(topic, self.source.consumer_group).set(limit)

    def _read_lag(self) -> None:
        lag: dict[LagKey, int] = {}
        previous = self.stats.lag
        for tp in self._tracker.partitions:
            key = (tp.topic, tp.partition)
            high = self._session.highwater(tp)
            base = self._tracker.lag_base(tp)
            if base is None and high is not None:
                base = self._session.position(tp)
                if base is not None:
                    self._tracker.resumed(tp, base)
            if high is None or base is None:
                if key in previous:
                    lag[key] = previous[key]
                continue
            lag[key] = partition_lag(high, base)
        self.stats.lag = lag

    # -- rebalance (called inside poll, on the poll thread) ----------------------------

    def _assigned(self, assigned: set[TopicPartition]) -> None:
        self._tracker.assign(assigned)

    def _revoked(self, revoked: set[TopicPartition]) -> None:
        self._commit()
        self._tracker.revoke(revoked)

    # -- on the worker threads -------------------------------------------------------

    def _work(self, work: Work) -> None:
        if self._stop.is_set() or not self._tracker.is_current(work):
            return
        if self._delivery.deliver(work.tp.topic, work.tp.partition, work.record):
            self._tracker.finished(work)
