"""Per-learner bounds, with the clock passed in: streams, in flight, per minute, and their ends."""

from __future__ import annotations

import uuid

import pytest

from learnflow.gateway import LearnerLimits, LimitPolicy, LimitReached

POLICY = LimitPolicy(streams=2, in_flight=2, per_minute=4, in_flight_ceiling_s=120.0)
T0 = 1_800_000_000.0


def _ids(n: int) -> list[uuid.UUID]:
    return [uuid.uuid4() for _ in range(n)]


def test_streams_beyond_the_bound_are_refused_and_a_release_frees_one() -> None:
    limits, me = LearnerLimits(POLICY), uuid.uuid4()
    first, _second = limits.open_stream(me), limits.open_stream(me)
    with pytest.raises(LimitReached, match="already has 2 open streams") as refused:
        limits.open_stream(me)
    assert refused.value.limit == "streams" and refused.value.retry_after_s is None
    first.release()
    first.release()  # idempotent: a double release never frees a slot that is held
    assert limits.open_streams(me) == 1
    limits.open_stream(me)
    assert limits.open_streams(me) == 2


def test_one_learners_streams_never_count_against_another() -> None:
    limits = LearnerLimits(POLICY)
    me, other = uuid.uuid4(), uuid.uuid4()
    limits.open_stream(me), limits.open_stream(me)
    limits.open_stream(other)  # not refused


def test_in_flight_beyond_the_bound_is_refused_with_a_short_retry_after() -> None:
    limits, me = LearnerLimits(POLICY), uuid.uuid4()
    a, b, c = _ids(3)
    limits.admit(me, a, T0)
    limits.admit(me, b, T0 + 1)
    with pytest.raises(LimitReached, match="2 of this learner's runs are still running") as refused:
        limits.admit(me, c, T0 + 2)
    assert refused.value.limit == "in_flight" and refused.value.retry_after_s == POLICY.in_flight_retry_s
    limits.executed(a)  # its result arrived on the feed
    limits.admit(me, c, T0 + 3)
    assert limits.in_flight(me, T0 + 3) == 2


def test_a_lost_result_stops_counting_at_the_ceiling() -> None:
    limits, me = LearnerLimits(POLICY), uuid.uuid4()
    a, b, c = _ids(3)
    limits.admit(me, a, T0)
    limits.admit(me, b, T0 + 100)
    with pytest.raises(LimitReached) as refused:
        limits.admit(me, c, T0 + 119.5)
    assert refused.value.retry_after_s == 1  # the oldest stops counting within a second
    assert limits.in_flight(me, T0 + 120) == 1  # ``a`` never got a result: released anyway
    limits.admit(me, c, T0 + 120)


def test_per_minute_beyond_the_bound_is_refused_until_the_oldest_leaves_the_window() -> None:
    limits, me = LearnerLimits(POLICY), uuid.uuid4()
    for i, sid in enumerate(_ids(4)):
        limits.admit(me, sid, T0 + i)
        limits.executed(sid)  # each finished at once: only the rate binds
    late = uuid.uuid4()
    with pytest.raises(LimitReached, match="4 runs in the last 60 s") as refused:
        limits.admit(me, late, T0 + 10)
    assert refused.value.limit == "per_minute" and refused.value.retry_after_s == 50
    assert "try again in 50 s" in refused.value.reason
    with pytest.raises(LimitReached):
        limits.admit(me, late, T0 + 59.9)
    limits.admit(me, late, T0 + 60)  # the first left the window


def test_a_refused_submission_takes_no_slot() -> None:
    limits, me = LearnerLimits(POLICY), uuid.uuid4()
    for sid in _ids(2):
        limits.admit(me, sid, T0)
    for _ in range(10):
        with pytest.raises(LimitReached):
            limits.admit(me, uuid.uuid4(), T0)
    assert limits.in_flight(me, T0) == 2


def test_a_withdrawn_submission_counts_for_nothing() -> None:
    limits, me = LearnerLimits(POLICY), uuid.uuid4()
    a, b, c = _ids(3)
    limits.admit(me, a, T0)
    limits.admit(me, b, T0)
    limits.withdraw(b)  # publishing it failed: the learner was answered 503, not 202
    limits.admit(me, c, T0)
    assert limits.in_flight(me, T0) == 2


def test_a_result_for_an_unknown_submission_is_ignored() -> None:
    limits = LearnerLimits(POLICY)
    limits.executed(uuid.uuid4())  # another replica's submission, or one from before a restart
    limits.withdraw(uuid.uuid4())
    assert limits.learners == 0


def test_learners_with_nothing_left_to_count_are_forgotten() -> None:
    limits = LearnerLimits(POLICY)
    for learner in _ids(50):
        limits.admit(learner, uuid.uuid4(), T0)
    assert limits.learners == 50
    lease = limits.open_stream(uuid.uuid4())
    limits.admit(uuid.uuid4(), uuid.uuid4(), T0 + 200)  # a window later: the sweep runs
    assert limits.learners == 2  # the one with an open stream, and the one who just sent
    lease.release()
    assert limits.learners == 1
