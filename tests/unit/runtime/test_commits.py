import threading

from kafka import TopicPartition

from learnflow.local.runtime.commits import CommitTracker

from .fakes import FakeRecord

A, B = TopicPartition("t", 0), TopicPartition("t", 1)


def _record(offset):
    return FakeRecord(offset, None, b"{}", [])


def test_an_offset_is_committable_once_it_and_every_earlier_one_finished():
    tracker = CommitTracker()
    tracker.assign({A})
    first, second = tracker.take(A, _record(0)), tracker.take(A, _record(1))
    tracker.finished(second)
    tracker.drain()
    assert tracker.committable() == {A: 0}, "the commit stays before offset 0, still in flight"
    tracker.finished(first)
    tracker.drain()
    assert tracker.committable() == {A: 2}
    tracker.committed({A: 2})
    assert tracker.committable() == {}, "offered once"


def test_reports_count_only_when_drained():
    tracker = CommitTracker()
    tracker.assign({A})
    tracker.finished(tracker.take(A, _record(0)))
    assert tracker.in_flight == 1
    tracker.drain()
    assert tracker.in_flight == 0


def test_a_record_of_a_partition_not_assigned_is_not_taken():
    tracker = CommitTracker()
    tracker.assign({A})
    assert tracker.take(B, _record(0)) is None
    assert tracker.in_flight == 0


def test_after_a_revoke_a_late_report_is_ignored_and_its_work_is_not_current():
    tracker = CommitTracker()
    tracker.assign({A, B})
    stale = tracker.take(A, _record(5))
    tracker.revoke({A})
    tracker.assign({A})  # given back: a new assignment, resuming from the group's commit
    assert not tracker.is_current(stale)
    tracker.finished(stale)
    tracker.drain()
    assert tracker.committable() == {}, "the new assignment commits only what it finished itself"
    fresh = tracker.take(A, _record(5))
    assert tracker.is_current(fresh)
    tracker.finished(fresh)
    tracker.drain()
    assert tracker.committable() == {A: 6}


def test_revoked_partitions_are_forgotten():
    tracker = CommitTracker()
    tracker.assign({A, B})
    tracker.take(B, _record(0))
    tracker.revoke({B})
    assert tracker.partitions == [A]
    assert tracker.in_flight == 0
    assert tracker.lag_base(B) is None


def test_the_lag_base_is_where_reading_resumed_until_the_first_commit():
    tracker = CommitTracker()
    tracker.assign({A})
    assert tracker.lag_base(A) is None
    tracker.resumed(A, 40)
    assert tracker.lag_base(A) == 40
    tracker.finished(tracker.take(A, _record(40)))
    tracker.drain()
    tracker.committed(tracker.committable())
    assert tracker.lag_base(A) == 41


def test_reports_from_many_threads_are_all_counted():
    tracker = CommitTracker()
    tracker.assign({A})
    works = [tracker.take(A, _record(o)) for o in range(400)]
    threads = [threading.Thread(target=lambda ws=works[i::8]: [tracker.finished(w) for w in ws]) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tracker.drain()
    assert tracker.in_flight == 0 and tracker.committable() == {A: 400}
