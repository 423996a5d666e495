from learnflow.local.runtime.offsets import PartitionProgress


def test_nothing_started_nothing_to_commit():
    assert PartitionProgress().committable() is None


def test_commit_point_is_the_oldest_record_in_flight():
    p = PartitionProgress()
    for o in (10, 11, 12):
        p.started(o)
    p.finished(11)
    p.finished(12)
    assert p.committable() == 10  # 10 is still in flight: nothing past it may be committed
    p.finished(10)
    assert p.committable() == 13


def test_a_commit_point_is_offered_once():
    p = PartitionProgress()
    p.started(0)
    p.finished(0)
    assert p.committable() == 1
    p.mark_committed(1)
    assert p.committable() is None
    p.started(1)
    assert p.committable() is None  # 1 in flight, 1 already committed
    p.finished(1)
    assert p.committable() == 2


def test_in_flight_counts_unfinished_records():
    p = PartitionProgress()
    p.started(5)
    p.started(6)
    p.finished(6)
    assert p.in_flight == 1
