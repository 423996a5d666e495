"""What one stream sends: from its cursor on, each event id once, in write order."""

from __future__ import annotations

import uuid

from learnflow.gateway import Cursor, RecentIds, StreamEvent, StreamState, in_write_order


def _event(
    topic: int, offset: int, *, ts: int = 0, partition: int | None = None, event_id: uuid.UUID | None = None
) -> StreamEvent:
    return StreamEvent(
        topic_index=topic,
        partition=(1, 2)[topic] if partition is None else partition,
        offset=offset,
        timestamp_ms=ts,
        user_id=uuid.UUID(int=1),
        event_id=event_id or uuid.uuid4(),
        event_type=("code.executed", "help.explanation")[topic],
        data="{}",
    )


def test_each_event_is_sent_with_the_cursor_just_past_it() -> None:
    state = StreamState(Cursor((1, 2), (0, 0)))
    assert state.accept(_event(0, 0)) == "1.1-2.0"
    assert state.accept(_event(1, 4)) == "1.1-2.5"
    assert state.accept(_event(0, 7)) == "1.8-2.5"


def test_events_before_the_cursor_are_not_sent_again() -> None:
    state = StreamState(Cursor((1, 2), (5, 3)))
    assert state.accept(_event(0, 4)) is None
    assert state.accept(_event(1, 2)) is None
    assert state.accept(_event(0, 5)) == "1.6-2.3"


def test_a_duplicate_id_is_sent_once_but_still_moves_the_cursor() -> None:
    state = StreamState(Cursor((1, 2), (0, 0)))
    same = uuid.uuid4()
    assert state.accept(_event(0, 0, event_id=same)) == "1.1-2.0"
    assert state.accept(_event(0, 3, event_id=same)) is None
    assert state.cursor.offsets == (4, 0)


def test_a_copy_of_an_event_read_back_from_before_the_cursor_is_not_sent() -> None:
    """A resume reads a little before its cursor: what the browser had then marks later copies."""
    state = StreamState(Cursor((1, 2), (10, 0)))
    original = uuid.uuid4()
    assert state.accept(_event(0, 8, event_id=original)) is None
    assert state.accept(_event(0, 11, event_id=original)) is None
    assert state.accept(_event(0, 12)) == "1.13-2.0"


def test_an_event_outside_the_learners_partition_is_sent_without_moving_the_cursor() -> None:
    state = StreamState(Cursor((1, 2), (3, 3)))
    stray = _event(0, 0, partition=0)
    assert state.accept(stray) == "1.3-2.3"
    assert state.accept(stray) is None


def test_recent_ids_forget_the_oldest_first() -> None:
    ids = RecentIds(capacity=2)
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert ids.add(a) and ids.add(b) and not ids.add(a)
    assert ids.add(c)  # b is now the oldest and goes
    assert a in ids and c in ids and b not in ids and len(ids) == 2


def test_write_order_interleaves_topics_by_timestamp() -> None:
    code = [_event(0, 0, ts=10), _event(0, 1, ts=30)]
    help_ = [_event(1, 0, ts=20), _event(1, 1, ts=40)]
    assert [(e.topic_index, e.offset) for e in in_write_order([code, help_])] == [(0, 0), (1, 0), (0, 1), (1, 1)]


def test_write_order_puts_the_learning_event_first_when_timestamps_are_equal() -> None:
    help_ = [_event(1, 0, ts=20)]
    code = [_event(0, 0, ts=20)]
    assert [e.topic_index for e in in_write_order([help_, code])] == [0, 1]


def test_write_order_never_reorders_a_partition_whose_clocks_disagree() -> None:
    code = [_event(0, 0, ts=50), _event(0, 1, ts=10)]  # two producers' clocks
    help_ = [_event(1, 0, ts=20)]
    merged = [(e.topic_index, e.offset) for e in in_write_order([code, help_])]
    assert merged.index((0, 0)) < merged.index((0, 1))
