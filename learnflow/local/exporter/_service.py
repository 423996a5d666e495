"""The exporter's lifecycle: a thread that reads offsets every ``interval_s`` and writes
the Prometheus metrics defined in ``learnflow.serverless._metrics``.

Nothing connects at import or construction; ``start()`` starts the thread, which
connects on its first read and reconnects after a failed one, so a monitor that
starts before Kafka simply reports nothing (and counts read errors) until it can.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Protocol

from learnflow.events import ConfigurationError
from learnflow.local import _metrics as metrics
from learnflow.local._metrics import ErrorReason
from learnflow.local.exporter._model import GroupSpec, LagKey, OffsetsSnapshot, OffsetsState, Readings, Watch
from learnflow.local.exporter._reader import KafkaOffsetReader, OffsetsReadError
from learnflow.serverless import KafkaSettings

log = logging.getLogger(__name__)


class OffsetSource(Protocol):
    """The port the exporter reads through: the Kafka reader, or a fake in tests."""

    def read(self) -> OffsetsSnapshot: ...

    def close(self) -> None: ...


class OffsetsExporter:
    """Sets lag, throughput, DLQ depth and dead-letter arrivals from broker offsets.

    ``watch`` defaults to the topic registry (our topics and their DLQs); ``groups``
    adds consumer groups the broker's ListGroups may not show. ``source_factory``
    replaces the Kafka reader (tests); ``clock`` feeds the rate window.
    """

    def __init__(
        self,
        settings: KafkaSettings | None = None,
        *,
        watch: Watch | None = None,
        groups: Iterable[GroupSpec] = (),
        interval_s: float = 2.0,
        window_s: float = 30.0,
        source_factory: Callable[[], OffsetSource] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if interval_s <= 0:
            raise ConfigurationError(f"exporter interval must be positive, got {interval_s}")
        if settings is None and source_factory is None:
            raise ConfigurationError("OffsetsExporter needs Kafka settings (or a source_factory)")
        self.watch = watch or Watch.from_registry()
        self.groups = tuple(groups)
        self.interval_s = interval_s
        self._state = OffsetsState(self.watch, self.groups, window_s)
        self._factory = source_factory or (lambda: KafkaOffsetReader(settings, self.watch, self.groups))  # type: ignore[arg-type]
        self._clock = clock
        self._source: OffsetSource | None = None  # connected lazily, by the reading thread
        self._lag_keys: set[LagKey] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False
        self.reads = 0  # successful reads, for callers that wait for the first one

    def start(self) -> OffsetsExporter:
        if self._thread is not None:
            return self
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="learnflow-offsets-exporter", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the thread (it finishes the read in progress) and close the Kafka clients."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("offsets exporter thread still busy after %.0f s; leaving it (daemon)", timeout)
            self._thread = None
        with self._lock:
            self._disconnect()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.read_once()
            self._stopping.wait(self.interval_s)

    def read_once(self) -> Readings | None:
        """One read and metrics update; None (and a read error counted) if Kafka failed."""
        with self._lock:
            try:
                if self._source is None:
                    self._source = self._factory()
                snapshot = self._source.read()
            except OffsetsReadError as exc:
                metrics.EXPORTER_READ_ERRORS.inc()
                if not self._failing:  # log the transition, not every interval
                    log.warning("cannot read Kafka offsets (will retry every %.0f s): %s", self.interval_s, exc)
                self._failing = True
                self._disconnect()
                return None
            if self._failing:
                log.info("reading Kafka offsets again")
                self._failing = False
            readings = self._state.observe(snapshot, self._clock())
            self._apply(readings)
            self.reads += 1
            return readings

    def _apply(self, readings: Readings) -> None:
        for (topic, partition, group), lag in readings.lag.items():
            metrics.CONSUMER_LAG.labels(topic, str(partition), group).set(lag)
        for topic, partition, group in self._lag_keys - readings.lag.keys():
            # A group that stopped committing on a topic, or a vanished partition: drop
            # the series rather than freeze its last value.
            metrics.CONSUMER_LAG.remove(topic, str(partition), group)
        self._lag_keys = set(readings.lag)
        for topic, n in readings.appended.items():
            metrics.MESSAGES.labels(topic).inc(n)  # inc(0) creates the series at 0 for rate()
        for topic, rate in readings.per_second.items():
            metrics.MESSAGES_PER_SECOND.labels(topic).set(rate)
        for topic, n in readings.dead_lettered.items():
            metrics.CONSUMER_ERRORS.labels(topic, ErrorReason.DEAD_LETTERED.value).inc(n)
        for topic, depth in readings.dlq_depth.items():
            metrics.DLQ_DEPTH.labels(topic).set(depth)

    def _disconnect(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None

    def __enter__(self) -> OffsetsExporter:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
