"""The Kafka edge of the exporter: one admin client and one group-less consumer,
kept for the exporter's life, turned into an ``OffsetsSnapshot`` on each read.

Why the Fetch high watermark: on the embedded Tansu broker, ListOffsets LATEST (what
``end_offsets`` and ``seek_to_end`` use) returns the base offset of the last batch
plus one, so lag from it is under-reported or negative (../shared/notes/broker.md
§1.4). A Fetch response carries the true high watermark on every broker, so the
consumer stays assigned to every watched partition, parked at its high watermark:
each fetch then returns no records (or only the newest batch) plus the watermark.
ListOffsets EARLIEST is correct on both brokers and gives the log start.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from learnflow.events import LearnflowError
from learnflow.local.exporter._model import GroupSpec, OffsetsSnapshot, Partition, Watch
from learnflow.serverless import FETCH_WAIT_MS, KafkaSettings

log = logging.getLogger(__name__)

CLIENT_ID = "learnflow-monitor"
REQUEST_TIMEOUT_MS = 5000


class OffsetsReadError(LearnflowError):
    """Kafka could not be read this time (unreachable, timing out, refusing a request)."""


@contextmanager
def _kafka_errors(what: str) -> Iterator[None]:
    try:
        yield
    except (KafkaError, OSError, ValueError) as exc:  # ValueError: kafka-python's decoding quirks
        raise OffsetsReadError(f"{what}: {exc!r}") from exc


class KafkaOffsetReader:
    """Reads high/low watermarks and committed offsets of the watched topics."""

    def __init__(
        self,
        settings: KafkaSettings,
        watch: Watch,
        groups: Sequence[GroupSpec] = (),
        discover_groups: bool = True,
        fresh_s: float = 2 * FETCH_WAIT_MS / 1000,
    ) -> None:
        self.watch = watch
        self.groups = tuple(groups)
        self.discover_groups = discover_groups
        # Poll at least this long per read: two fetch waits, so at least one Fetch sent
        # after the read began has answered and the watermarks are current.
        self.fresh_s = fresh_s
        timeouts = {"request_timeout_ms": REQUEST_TIMEOUT_MS, "bootstrap_timeout_ms": REQUEST_TIMEOUT_MS}
        with _kafka_errors(f"cannot connect to Kafka at {settings.bootstrap_servers}"):
            self._admin = KafkaAdminClient(
                bootstrap_servers=settings.bootstrap_list, client_id=CLIENT_ID, reconnect_backoff_max_ms=1000, **timeouts
            )
            try:
                self._consumer = KafkaConsumer(
                    **settings.consumer_config(
                        None,
                        client_id=CLIENT_ID,
                        # Parked at the watermark, a fetch only ever returns the newest
                        # batch; a small cap keeps that cheap on a busy topic.
                        max_partition_fetch_bytes=1024,
                        max_poll_records=100_000,
                        check_crcs=False,
                        reconnect_backoff_max_ms=1000,
                        **timeouts,
                    )
                )
            except BaseException:
                self._admin.close()
                raise
        self._assigned: frozenset[Partition] = frozenset()

    def read(self, timeout_s: float = 10.0) -> OffsetsSnapshot:
        with _kafka_errors("reading offsets"):
            partitions = self._partitions()
            high = self._high_watermarks(partitions, timeout_s)
            tps = [TopicPartition(*tp) for tp in sorted(partitions)]
            low = self._consumer.beginning_offsets(tps, timeout_ms=REQUEST_TIMEOUT_MS) if tps else {}
            committed = self._committed(partitions)
        return OffsetsSnapshot(high, {(tp.topic, tp.partition): o for tp, o in low.items()}, committed)

    def _partitions(self) -> frozenset[Partition]:
        # topics() asks for all topics: asking for one by name would make Tansu
        # auto-create a missing topic with 4 partitions.
        existing = self._consumer.topics() & self.watch.all_topics
        found = frozenset((t, p) for t in existing for p in self._consumer.partitions_for_topic(t))
        if found != self._assigned:
            # New partitions have no position: auto_offset_reset=earliest reads one small
            # batch from the start, then _high_watermarks parks them.
            self._consumer.assign([TopicPartition(*tp) for tp in sorted(found)])
            self._assigned = found
        return found

    def _high_watermarks(self, partitions: frozenset[Partition], timeout_s: float) -> dict[Partition, int]:
        if not partitions:
            return {}
        consumer = self._consumer
        tps = [TopicPartition(*tp) for tp in sorted(partitions)]
        start = time.monotonic()
        while True:
            consumer.poll(timeout_ms=FETCH_WAIT_MS)
            for tp in tps:
                hw = consumer.highwater(tp)
                if hw is not None and consumer.position(tp, timeout_ms=REQUEST_TIMEOUT_MS) != hw:
                    consumer.seek(tp, hw)  # park: the records themselves are not needed
            elapsed = time.monotonic() - start
            known = {tp: consumer.highwater(tp) for tp in tps}
            if elapsed >= self.fresh_s and all(v is not None for v in known.values()):
                break
            if elapsed >= timeout_s:
                break  # report what is known; the rest next time
        return {(tp.topic, tp.partition): hw for tp, hw in known.items() if hw is not None}

    def _committed(self, partitions: frozenset[Partition]) -> dict[str, dict[Partition, int]]:
        groups = {s.group for s in self.groups}
        if self.discover_groups:
            # Tansu lists only groups that have committed; --group covers the others.
            groups |= {g["group_id"] for g in self._admin.list_groups()}
        try:
            # One OffsetFetch (v8+) for every group, on brokers that support it.
            offsets = self._admin.list_group_offsets({g: None for g in groups}) if groups else {}
        except KafkaError:
            # An old broker, or one group we may not read (ACLs on a shared cluster):
            # ask group by group and leave out the ones that fail.
            offsets = {}
            for group in groups:
                try:
                    offsets.update(self._admin.list_group_offsets(group))
                except KafkaError as exc:
                    log.debug("skipping consumer group %s: %r", group, exc)
        committed: dict[str, dict[Partition, int]] = {}
        for group, by_tp in offsets.items():
            mine = {(tp.topic, tp.partition): om.offset for tp, om in by_tp.items() if (tp.topic, tp.partition) in partitions}
            if mine:
                committed[group] = mine
        return committed

    def close(self) -> None:
        for client in (self._consumer, self._admin):
            try:
                client.close()
            except Exception:
                pass
