"""The threads that deliver a source's records, ordered or not (KafkaSource ``ordering``).

Ordered: one thread per partition takes that partition's records one at a time, in
log order, so a failing record holds back only its own partition. Unordered: a bounded
pool takes records as they come. Both run the same job on each record and never let it
raise: a job handles its own failures (``RecordDelivery`` dead-letters them).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from kafka import TopicPartition

from learnflow.local.runtime.commits import Work

log = logging.getLogger(__name__)

Job = Callable[[Work], None]


class Workers(Protocol):
    def submit(self, work: Work) -> None: ...

    def stop(self) -> None: ...


class PartitionWorkers:
    """One thread and queue per partition, started at the partition's first record."""

    def __init__(self, name: str, job: Job) -> None:
        self._name = name
        self._job = job
        self._queues: dict[TopicPartition, queue.SimpleQueue[Work | None]] = {}
        self._stopped = threading.Event()

    def submit(self, work: Work) -> None:
        q = self._queues.get(work.tp)
        if q is None:
            q = self._queues[work.tp] = queue.SimpleQueue()
            name = f"{self._name}-{work.tp.topic}-{work.tp.partition}"
            threading.Thread(target=self._run, args=(q,), name=name, daemon=True).start()
        q.put(work)

    def _run(self, q: queue.SimpleQueue[Work | None]) -> None:
        while True:
            work = q.get()
            if work is None or self._stopped.is_set():
                return
            _run_job(self._job, work)

    def stop(self) -> None:
        """Take no more records; a record being delivered is left to finish or give up."""
        self._stopped.set()
        for q in self._queues.values():
            q.put(None)


class PooledWorkers:
    """Up to ``size`` records at once, from any partition."""

    def __init__(self, name: str, job: Job, size: int) -> None:
        self._job = job
        self._pool = ThreadPoolExecutor(size, thread_name_prefix=f"{name}-unordered")

    def submit(self, work: Work) -> None:
        self._pool.submit(_run_job, self._job, work)

    def stop(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _run_job(job: Job, work: Work) -> None:
    try:
        job(work)
    except Exception:
        # A job is written not to raise; if one does anyway, the thread must survive it, or
        # the partition would stop for good, silently. The record stays uncommitted.
        log.exception("delivering %s[%d]@%d failed unexpectedly", work.tp.topic, work.tp.partition, work.offset)
