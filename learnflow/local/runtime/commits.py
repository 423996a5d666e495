"""Which offsets a consumer may commit, over an assignment that rebalances change.

Each assigned partition has its progress (``offsets.PartitionProgress``) and a
generation, bumped whenever the partition is assigned or revoked. A record carries the
generation it was taken under, so a worker's report about a record of an earlier
assignment is ignored: after a revoke, the partition's new owner reads that record again.

The poll thread owns the tracker: it assigns, revokes, takes records, drains reports and
commits. Workers only call ``finished`` (through a thread-safe queue, applied at the next
``drain``) and ``is_current``.
"""

from __future__ import annotations

import queue
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kafka import TopicPartition

from learnflow.local.runtime.offsets import PartitionProgress


@dataclass(frozen=True)
class Work:
    """One record taken from Kafka, tagged with the assignment it was taken under."""

    tp: TopicPartition
    generation: int
    record: Any  # a kafka-python ConsumerRecord: offset, key, value, headers, timestamp

    @property
    def offset(self) -> int:
        return int(self.record.offset)


class CommitTracker:
    def __init__(self) -> None:
        self._progress: dict[TopicPartition, PartitionProgress] = {}
        self._generation: dict[TopicPartition, int] = {}
        self._done: queue.SimpleQueue[tuple[TopicPartition, int, int]] = queue.SimpleQueue()

    # -- the assignment ----------------------------------------------------------------

    def assign(self, tps: Iterable[TopicPartition]) -> None:
        for tp in tps:
            self._progress[tp] = PartitionProgress()
            self._generation[tp] = self._generation.get(tp, 0) + 1

    def revoke(self, tps: Iterable[TopicPartition]) -> None:
        for tp in tps:
            self._progress.pop(tp, None)
            # Queued records of this generation are skipped; the new owner reads them again.
            self._generation[tp] = self._generation.get(tp, 0) + 1

    @property
    def partitions(self) -> list[TopicPartition]:
        return list(self._progress)

    # -- records -----------------------------------------------------------------------

    def take(self, tp: TopicPartition, record: Any) -> Work | None:
        """Note a record as in flight; None if its partition is no longer assigned."""
        progress = self._progress.get(tp)
        if progress is None:  # a record of a partition revoked in this very poll
            return None
        progress.started(record.offset)
        return Work(tp, self._generation[tp], record)

    def is_current(self, work: Work) -> bool:
        """Whether ``work`` still belongs to its partition's assignment (any thread)."""
        return self._generation.get(work.tp) == work.generation

    def finished(self, work: Work) -> None:
        """``work`` was delivered or dead-lettered (any thread); counted at the next drain."""
        self._done.put((work.tp, work.generation, work.offset))

    def drain(self) -> None:
        """Apply the workers' reports to the current assignment."""
        while True:
            try:
                tp, generation, offset = self._done.get_nowait()
            except queue.Empty:
                return
            progress = self._progress.get(tp)
            if progress is not None and self._generation.get(tp) == generation:
                progress.finished(offset)

    @property
    def in_flight(self) -> int:
        """Records taken and not yet reported finished (read from any thread)."""
        return sum(p.in_flight for p in list(self._progress.values()))

    # -- commits and lag ---------------------------------------------------------------

    def committable(self) -> dict[TopicPartition, int]:
        """The offset to commit now, per partition that has a new one."""
        offsets = {}
        for tp, progress in self._progress.items():
            point = progress.committable()
            if point is not None:
                offsets[tp] = point
        return offsets

    def committed(self, offsets: Mapping[TopicPartition, int]) -> None:
        for tp, offset in offsets.items():
            progress = self._progress.get(tp)
            if progress is not None:
                progress.mark_committed(offset)

    def lag_base(self, tp: TopicPartition) -> int | None:
        """Where the group stands on ``tp``: the last commit, or where reading resumed."""
        progress = self._progress.get(tp)
        if progress is None:
            return None
        return progress.committed if progress.committed is not None else progress.resumed_at

    def resumed(self, tp: TopicPartition, position: int) -> None:
        """Until this assignment commits, what the group holds is where reading resumed."""
        progress = self._progress.get(tp)
        if progress is not None:
            progress.resumed_at = position
