"""Cursors: the SSE id a stream resumes from, and the learner's partitions it names."""

from __future__ import annotations

import uuid

import pytest
from kafka.partitioner.default import DefaultPartitioner

from learnflow.gateway import Cursor, InvalidCursor, learner_partitions, partition_for


class _Cluster:
    def __init__(self, partitions: int) -> None:
        self.partitions = set(range(partitions))

    def topics(self) -> set[str]:
        return {"t"}

    def partitions_for_topic(self, topic: str) -> set[int]:
        return self.partitions

    def available_partitions_for_topic(self, topic: str) -> set[int]:
        return self.partitions


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_the_learners_partition_is_where_kafkas_default_partitioner_puts_their_key(partitions: int) -> None:
    for _ in range(200):
        key = str(uuid.uuid4()).encode()
        expected = DefaultPartitioner().partition("t", key, key, None, None, _Cluster(partitions))
        assert partition_for(key, partitions) == expected


def test_a_learner_has_one_partition_per_streamed_topic() -> None:
    learner = uuid.uuid4()
    parts = learner_partitions(learner, {"learning-events": 3, "proactive-help": 5})
    key = str(learner).encode()
    assert parts == (partition_for(key, 3), partition_for(key, 5))


def test_a_cursor_reads_back_what_it_wrote() -> None:
    cursor = Cursor((1, 2), (15, 7))
    assert cursor.encode() == "1.15-2.7"
    assert Cursor.decode("1.15-2.7", (1, 2)) == cursor


def test_passing_a_record_moves_only_that_topic_and_never_back() -> None:
    cursor = Cursor((0, 2), (10, 4)).after(0, 12)
    assert cursor.offsets == (13, 4)
    assert cursor.after(0, 5).offsets == (13, 4)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "expected 2 positions"),
        ("1.15", "expected 2 positions"),
        ("1.15-2.7-0.1", "expected 2 positions"),
        ("1.x-2.7", "not <partition>.<offset>"),
        ("1.-5-2.7", "expected 2 positions"),
        ("0.15-2.7", "names partition 0, but this learner's is 1"),
        ("1.15-2.99999999999999999999", "not <partition>.<offset>"),
    ],
)
def test_a_cursor_of_another_shape_or_learner_is_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidCursor, match=reason):
        Cursor.decode(text, (1, 2))
