"""The hub against a hand-written consumer (the lowest seam): where it starts, whom it tells."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from aiokafka import TopicPartition

from learnflow.events import to_record
from learnflow.gateway._cursor import STREAMED_TOPICS, learner_partitions
from learnflow.gateway._hub import Hub, StreamClosed, StreamOverflow
from learnflow.serverless import kafka_settings

from ...support.learner_events import code_executed, exercise_started, help_explanation

PARTITIONS = 3


@dataclass
class Message:
    topic: str
    partition: int
    offset: int
    timestamp: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]


class FakeConsumer:
    """Partitions as lists; ListOffsets answers like the embedded broker (last batch's base + 1)."""

    def __init__(self, **config: Any) -> None:
        self.config = config
        self.logs: dict[TopicPartition, list[Message]] = defaultdict(list)
        self.positions: dict[TopicPartition, int] = {}
        self.fetched: set[TopicPartition] = set()
        self.wake = asyncio.Event()

    def append(self, topic: str, event: Any, timestamp: int = 0) -> Message:
        record = to_record(event, "/test")
        tp = TopicPartition(
            topic, learner_partitions(event.user_id, dict.fromkeys(STREAMED_TOPICS, PARTITIONS))[STREAMED_TOPICS.index(topic)]
        )
        message = Message(topic, tp.partition, len(self.logs[tp]), timestamp, record.key, record.value, record.headers)
        self.logs[tp].append(message)
        self.wake.set()
        return message

    async def start(self) -> None: ...
    async def stop(self) -> None: ...

    async def topics(self) -> set[str]:
        return set(STREAMED_TOPICS)

    def partitions_for_topic(self, topic: str) -> set[int]:
        return set(range(PARTITIONS))

    def assign(self, tps: list[TopicPartition]) -> None:
        self.positions = dict.fromkeys(tps, 0)

    async def seek_to_end(self, *tps: TopicPartition) -> None:
        for tp in tps:
            self.positions[tp] = min(len(self.logs[tp]), 1)  # wrong on purpose, as Tansu's

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.positions[tp] = offset

    def highwater(self, tp: TopicPartition) -> int | None:
        return len(self.logs[tp]) if tp in self.fetched else None

    async def getmany(self, *tps: TopicPartition, timeout_ms: int = 0) -> dict[TopicPartition, list[Message]]:
        out = {}
        for tp in tps or tuple(self.positions):
            self.fetched.add(tp)
            new = self.logs[tp][self.positions[tp] :]
            if new:
                out[tp] = new
                self.positions[tp] += len(new)
        if not out and not tps:
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), timeout_ms / 1000)
            except TimeoutError:
                pass
        return out


def _hub(consumer: FakeConsumer, buffer: int = 100) -> Hub:
    return Hub(kafka_settings(), buffer=buffer, consumer_factory=lambda **_: consumer)


def test_the_hub_starts_at_the_true_end_not_at_what_list_offsets_says() -> None:
    async def scenario() -> None:
        consumer = FakeConsumer()
        learner = uuid.uuid4()
        for _ in range(5):
            consumer.append("learning-events", code_executed(learner))
        hub = _hub(consumer)
        await hub.start()
        try:
            sub = hub.subscribe(learner)
            assert sub.start[0] == 5  # after the five already written: none is replayed
            live = consumer.append("learning-events", code_executed(learner))
            event = await asyncio.wait_for(sub.get(), 5)
            assert event.offset == live.offset == 5
        finally:
            await hub.stop()

    asyncio.run(scenario())


def test_each_learner_gets_only_their_streamed_events() -> None:
    async def scenario() -> None:
        consumer = FakeConsumer()
        ada, bob = uuid.uuid4(), uuid.uuid4()
        hub = _hub(consumer)
        await hub.start()
        try:
            ada_sub, bob_sub = hub.subscribe(ada), hub.subscribe(bob)
            consumer.append("learning-events", exercise_started(ada), timestamp=1)
            consumer.append("learning-events", code_executed(bob), timestamp=2)
            consumer.append("proactive-help", help_explanation(ada), timestamp=3)
            got = await asyncio.wait_for(ada_sub.get(), 5)
            assert (got.user_id, got.event_type) == (ada, "help.explanation")
            assert (await asyncio.wait_for(bob_sub.get(), 5)).event_type == "code.executed"
            assert hub.open_streams == 2
            hub.unsubscribe(ada_sub)
            hub.unsubscribe(bob_sub)
            assert hub.open_streams == 0
        finally:
            await hub.stop()

    asyncio.run(scenario())


def test_a_stream_that_falls_too_far_behind_is_told_to_resume() -> None:
    async def scenario() -> None:
        consumer = FakeConsumer()
        learner = uuid.uuid4()
        hub = _hub(consumer, buffer=2)
        await hub.start()
        try:
            sub = hub.subscribe(learner)
            for _ in range(3):
                consumer.append("learning-events", code_executed(learner))
            await asyncio.wait_for(sub.get(), 5)
            await sub.get()
            with pytest.raises(StreamOverflow):
                await sub.get()
        finally:
            await hub.stop()

    asyncio.run(scenario())


def test_a_broken_record_is_skipped_and_reading_goes_on() -> None:
    async def scenario() -> None:
        consumer = FakeConsumer()
        learner = uuid.uuid4()
        hub = _hub(consumer)
        await hub.start()
        try:
            sub = hub.subscribe(learner)
            broken = consumer.append("learning-events", code_executed(learner))
            broken.value = b'{"eventType": "code.executed"}'
            good = consumer.append("learning-events", code_executed(learner))
            assert (await asyncio.wait_for(sub.get(), 5)).offset == good.offset
            assert not hub.failed
        finally:
            await hub.stop()

    asyncio.run(scenario())


def test_closing_the_streams_ends_each_subscription() -> None:
    async def scenario() -> None:
        consumer = FakeConsumer()
        hub = _hub(consumer)
        await hub.start()
        try:
            subs = [hub.subscribe(uuid.uuid4()) for _ in range(3)]
            hub.close_streams()
            for sub in subs:
                with pytest.raises(StreamClosed):
                    await asyncio.wait_for(sub.get(), 5)
        finally:
            await hub.stop()

    asyncio.run(scenario())


def test_every_streamed_event_read_is_shown_to_on_event_with_or_without_a_stream() -> None:
    # How the per-learner limits learn that a submission is no longer in flight.
    async def scenario() -> None:
        consumer = FakeConsumer()
        seen: list[uuid.UUID | None] = []
        hub = _hub(consumer)
        hub.on_event = lambda event: seen.append(event.submission_id)
        await hub.start()
        try:
            submission = uuid.uuid4()
            consumer.append("learning-events", code_executed(uuid.uuid4(), submissionId=submission))  # nobody subscribed
            consumer.append("proactive-help", help_explanation(uuid.uuid4()))
            deadline = asyncio.get_running_loop().time() + 5
            while len(seen) < 2 and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.01)
            assert sorted(seen, key=str) == sorted([submission, None], key=str)
        finally:
            await hub.stop()

    asyncio.run(scenario())
