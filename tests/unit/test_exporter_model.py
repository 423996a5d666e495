"""The exporter's arithmetic: lag, counter deltas across resets, the sliding-window rate."""

import pytest

from learnflow.events import TOPICS, ConfigurationError
from learnflow.local.exporter import GroupSpec, OffsetsSnapshot, OffsetsState, Watch, parse_group_spec, partition_lag
from learnflow.local.exporter._model import AppendCounter, WindowRate, group_lags

WATCH = Watch.of(["orders"])


def snap(high, low=None, committed=None):
    return OffsetsSnapshot(high, low or {}, committed or {})


@pytest.mark.parametrize(("high", "committed", "lag"), [(10, 4, 6), (10, 10, 0), (3, 40, 0), (0, 0, 0)])
def test_partition_lag_is_never_negative(high, committed, lag):
    assert partition_lag(high, committed) == lag


def test_group_lag_covers_every_partition_of_a_topic_it_committed_on():
    s = snap(
        high={("orders", 0): 10, ("orders", 1): 7, ("orders", 2): 5, ("other", 0): 9},
        low={("orders", 2): 1},
        committed={"g": {("orders", 0): 4, ("orders", 1): 7}},
    )
    # partition 2 has no commit: the group would start at the log start (1)
    assert group_lags(s) == {("orders", 0, "g"): 6, ("orders", 1, "g"): 0, ("orders", 2, "g"): 4}


def test_a_named_group_shows_its_backlog_before_its_first_commit():
    s = snap(high={("orders", 0): 3, ("orders", 1): 2})
    assert group_lags(s, [GroupSpec("new", frozenset({"orders"}))]) == {("orders", 0, "new"): 3, ("orders", 1, "new"): 2}
    assert group_lags(s, [GroupSpec("new")]) == {}  # topics unknown until it commits


def test_a_negative_commit_means_no_commit():
    s = snap(high={("orders", 0): 5}, low={("orders", 0): 2}, committed={"g": {("orders", 0): -1}})
    assert group_lags(s) == {("orders", 0, "g"): 3}


def test_first_read_is_the_baseline_and_later_partitions_count_from_zero():
    c = AppendCounter()
    assert c.advance({("t", 0): 100}) == {("t", 0): 0}
    assert c.advance({("t", 0): 104, ("new", 0): 3}) == {("t", 0): 4, ("new", 0): 3}


def test_a_reset_log_counts_its_new_records_and_never_decreases():
    c = AppendCounter()
    c.advance({("t", 0): 50})
    assert c.advance({("t", 0): 2}) == {("t", 0): 2}  # broker restarted, 2 new records
    assert c.advance({("t", 0): 5}) == {("t", 0): 3}


def test_a_partition_missing_from_one_read_does_not_recount_its_history():
    c = AppendCounter()
    c.advance({("t", 0): 10, ("t", 1): 10})
    assert c.advance({("t", 0): 11}) == {("t", 0): 1}
    assert c.advance({("t", 0): 11, ("t", 1): 12}) == {("t", 0): 0, ("t", 1): 2}


def test_window_rate_uses_the_span_of_its_samples():
    r = WindowRate(10)
    assert r.add("t", 0, 0) == 0.0
    assert r.add("t", 2, 20) == 10.0
    assert r.add("t", 10, 20) == 2.0
    # the sample at t=0 falls out once a newer one sits at the window start
    assert r.add("t", 12, 20) == 0.0
    assert r.add("t", 30, 38) == pytest.approx(18 / 18)  # a stalled exporter: average over the gap


def test_window_must_be_positive():
    with pytest.raises(ConfigurationError):
        WindowRate(0)


def test_state_splits_topics_and_dead_letters():
    state = OffsetsState(WATCH, window_s=10)
    first = state.observe(snap({("orders", 0): 10, ("orders.dlq", 0): 2}, {("orders.dlq", 0): 0}), now=0)
    assert (first.appended, first.dead_lettered, first.dlq_depth, first.per_second) == (
        {"orders": 0},
        {"orders": 0},
        {"orders": 2},
        {"orders": 0.0},
    )
    later = state.observe(snap({("orders", 0): 30, ("orders.dlq", 0): 5}, {("orders.dlq", 0): 1}), now=4)
    assert later.appended == {"orders": 20}
    assert later.dead_lettered == {"orders": 3}
    assert later.dlq_depth == {"orders": 4}
    assert later.per_second == {"orders": 5.0}


def test_registry_watch_has_our_topics_and_their_dlqs():
    w = Watch.from_registry()
    assert set(w.topics) == set(TOPICS)
    assert w.dlqs == {t.name: t.dlq for t in TOPICS.values() if t.dead_lettered}
    assert "proactive-help" not in w.dlqs


@pytest.mark.parametrize(
    ("text", "spec"),
    [("g", GroupSpec("g")), ("g=a,b", GroupSpec("g", frozenset({"a", "b"}))), (" g = a ", GroupSpec("g", frozenset({"a"})))],
)
def test_parse_group_spec(text, spec):
    assert parse_group_spec(text) == spec


@pytest.mark.parametrize("text", ["", "=a", "g="])
def test_parse_group_spec_rejects_nonsense(text):
    with pytest.raises(ConfigurationError, match="GROUP=TOPIC"):
        parse_group_spec(text)
