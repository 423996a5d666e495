import threading

from kafka import TopicPartition

from learnflow.local.runtime.commits import Work
from learnflow.local.runtime.workers import PartitionWorkers, PooledWorkers

from .fakes import FakeRecord

A, B = TopicPartition("t", 0), TopicPartition("t", 1)
WAIT = 10.0  # seconds a test waits for a thread before it fails; never reached when it passes


def _work(tp, offset):
    return Work(tp, 1, FakeRecord(offset, None, b"", []))


def test_each_partition_is_delivered_in_order_while_another_is_held_up():
    release_a = threading.Event()
    done: dict[TopicPartition, list[int]] = {A: [], B: []}
    finished = {A: threading.Event(), B: threading.Event()}

    def job(work):
        if work.tp == A and work.offset == 0:
            assert release_a.wait(WAIT)
        done[work.tp].append(work.offset)
        if work.offset == 4:
            finished[work.tp].set()

    workers = PartitionWorkers("w", job)
    try:
        for offset in range(5):
            workers.submit(_work(A, offset))
            workers.submit(_work(B, offset))
        assert finished[B].wait(WAIT), "partition B is not held up by A"
        assert done[A] == []
        release_a.set()
        assert finished[A].wait(WAIT)
        assert done == {A: [0, 1, 2, 3, 4], B: [0, 1, 2, 3, 4]}
    finally:
        release_a.set()
        workers.stop()


def test_a_job_that_raises_does_not_stop_its_partition():
    finished = threading.Event()
    seen = []

    def job(work):
        seen.append(work.offset)
        if work.offset == 0:
            raise RuntimeError("a bug")
        finished.set()

    workers = PartitionWorkers("w", job)
    try:
        workers.submit(_work(A, 0))
        workers.submit(_work(A, 1))
        assert finished.wait(WAIT)
        assert seen == [0, 1]
    finally:
        workers.stop()


def test_after_stop_queued_records_are_not_delivered():
    started, release = threading.Event(), threading.Event()
    seen = []

    def job(work):
        seen.append(work.offset)
        started.set()
        assert release.wait(WAIT)

    workers = PartitionWorkers("stopping", job)
    workers.submit(_work(A, 0))
    workers.submit(_work(A, 1))
    assert started.wait(WAIT)
    workers.stop()
    release.set()
    [thread] = [t for t in threading.enumerate() if t.name == "stopping-t-0"]  # the partition's worker
    thread.join(WAIT)
    assert not thread.is_alive(), "the worker ends at stop"
    assert seen == [0]


def test_pooled_workers_deliver_records_of_one_partition_at_the_same_time():
    together = threading.Barrier(3, timeout=WAIT)  # passes only if three jobs run at once
    workers = PooledWorkers("w", lambda work: together.wait(), size=3)
    for offset in range(3):
        workers.submit(_work(A, offset))
    workers.stop()  # waits for the jobs: a broken barrier would have raised in them
    assert not together.broken
