"""One Kafka reader per gateway process, fanning each learner's events out to its streams.

Learners may connect to any replica, so every replica reads both streamed topics whole
(manual assignment of every partition, no consumer group, nothing committed) and hands
each event to the streams it holds for that learner. A stream subscribes at the hub's
current positions: everything the hub reads after that is the stream's, and anything
before it is the history reader's job (``_history``).

The hub starts at the end of each partition. The end is taken from a fetch's high
watermark, not from ListOffsets: the embedded broker (Tansu) answers ListOffsets LATEST
with the base offset of the last batch plus one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from learnflow.events import BrokerError, InvalidEvent, KafkaRecord
from learnflow.gateway._cursor import STREAMED_TOPICS, learner_partitions
from learnflow.gateway._records import StreamEvent, stream_event
from learnflow.gateway._stream import in_write_order
from learnflow.serverless import FETCH_WAIT_MS, KafkaSettings

log = logging.getLogger(__name__)

ConsumerFactory = Callable[..., AIOKafkaConsumer]


class StreamOverflow(Exception):
    """A stream fell too far behind; it is closed and the browser resumes from its cursor."""


class StreamClosed(Exception):
    """The gateway is shutting down; the stream ends cleanly and the browser resumes elsewhere."""


_OVERFLOW, _CLOSED = object(), object()


class Subscription:
    """The live events of one learner for one open stream, from ``start`` on."""

    def __init__(self, user_id: uuid.UUID, start: tuple[int, ...], limit: int) -> None:
        self.user_id = user_id
        self.start = start  # the hub's position in the learner's partition of each topic
        self._limit = limit
        self._queue: asyncio.Queue[StreamEvent | object] = asyncio.Queue()
        self.overflowed = False

    def offer(self, event: StreamEvent) -> None:
        if self.overflowed:
            return
        if self._queue.qsize() >= self._limit:
            self.overflowed = True
            self._queue.put_nowait(_OVERFLOW)
            return
        self._queue.put_nowait(event)

    def close(self) -> None:
        self._queue.put_nowait(_CLOSED)

    async def get(self) -> StreamEvent:
        event = await self._queue.get()
        if event is _OVERFLOW:
            raise StreamOverflow(f"more than {self._limit} events waiting")
        if event is _CLOSED:
            raise StreamClosed("the gateway is shutting down")
        assert isinstance(event, StreamEvent)
        return event


def record_of(message: Any) -> KafkaRecord:
    """The neutral record of an aiokafka ConsumerRecord."""
    return KafkaRecord(message.key, message.value, [(k, bytes(v)) for k, v in message.headers or ()])


def decode(message: Any, topic_index: int) -> StreamEvent | None:
    """A consumer record as a stream event; None if not streamed or broken (logged)."""
    try:
        return stream_event(topic_index, message.partition, message.offset, message.timestamp, record_of(message))
    except InvalidEvent as exc:
        log.warning("%s[%d]@%d skipped, not a valid event: %s", message.topic, message.partition, message.offset, exc.reason)
        return None


def consumer_config(settings: KafkaSettings) -> dict[str, Any]:
    """aiokafka keyword arguments of a group-less reader that commits nothing."""
    return {
        "bootstrap_servers": settings.bootstrap_list,
        "group_id": None,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",  # a position lost to retention restarts at what is left
        "fetch_max_wait_ms": FETCH_WAIT_MS,
        "request_timeout_ms": 30_000,
    }


class Hub:
    """Reads every partition of the streamed topics and dispatches by learner."""

    def __init__(
        self, settings: KafkaSettings, *, buffer: int = 10_000, consumer_factory: ConsumerFactory = AIOKafkaConsumer
    ) -> None:
        self.settings = settings
        self.buffer = buffer
        self._factory = consumer_factory
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._subscribers: dict[uuid.UUID, set[Subscription]] = defaultdict(set)
        self.partition_counts: dict[str, int] = {}
        self.positions: dict[TopicPartition, int] = {}
        self.ready = asyncio.Event()
        self.events_read = 0
        # Told of every streamed event read, whoever's (the per-learner limits see results here).
        self.on_event: Callable[[StreamEvent], None] = lambda event: None

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self, timeout: float = 30.0) -> None:
        consumer = self._factory(**consumer_config(self.settings))
        self._consumer = consumer
        try:
            await asyncio.wait_for(self._join(consumer), timeout)
        except (KafkaError, OSError, TimeoutError) as exc:
            await self.stop()
            raise BrokerError(
                f"the gateway cannot read {', '.join(STREAMED_TOPICS)} at {self.settings.bootstrap_servers}: {exc!r}"
            ) from exc
        self._task = asyncio.create_task(self._run(), name="gateway-hub")
        self.ready.set()

    async def _join(self, consumer: AIOKafkaConsumer) -> None:
        await consumer.start()
        while True:
            await consumer.topics()  # fresh metadata: a topic may have been created since start
            counts = {name: len(consumer.partitions_for_topic(name) or ()) for name in STREAMED_TOPICS}
            if all(counts.values()):
                break
            await asyncio.sleep(0.5)  # a topic not created yet; bounded by start's timeout
        self.partition_counts = counts
        tps = [TopicPartition(name, p) for name in STREAMED_TOPICS for p in range(counts[name])]
        consumer.assign(tps)
        await consumer.seek_to_end(*tps)  # near the end; exact once a fetch gives the high watermarks
        while any(consumer.highwater(tp) is None for tp in tps):
            await consumer.getmany(*tps, timeout_ms=200)
        for tp in tps:
            end = consumer.highwater(tp)
            consumer.seek(tp, end)
            self.positions[tp] = end

    async def stop(self) -> None:
        self.ready.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._consumer is not None:
            with contextlib.suppress(Exception):  # closing after a failure must not mask it
                await self._consumer.stop()
            self._consumer = None

    # -- streams --------------------------------------------------------------------------

    def learner_partitions(self, user_id: uuid.UUID) -> tuple[int, ...]:
        return learner_partitions(user_id, self.partition_counts)

    def subscribe(self, user_id: uuid.UUID) -> Subscription:
        """A subscription to ``user_id``'s events from the hub's current positions on."""
        parts = self.learner_partitions(user_id)
        start = tuple(self.positions[TopicPartition(name, p)] for name, p in zip(STREAMED_TOPICS, parts, strict=True))
        sub = Subscription(user_id, start, self.buffer)
        self._subscribers[user_id].add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._subscribers.get(sub.user_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subscribers[sub.user_id]

    def close_streams(self) -> None:
        """End every open stream (the server is shutting down)."""
        for subs in self._subscribers.values():
            for sub in subs:
                sub.close()

    @property
    def failed(self) -> bool:
        """The reader stopped on its own: the process must be replaced (liveness fails)."""
        return self._task is not None and self._task.done()

    @property
    def open_streams(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    # -- reading ----------------------------------------------------------------------------

    async def _run(self) -> None:
        consumer = self._consumer
        assert consumer is not None
        index = {name: i for i, name in enumerate(STREAMED_TOPICS)}
        while True:
            try:
                batches = await consumer.getmany(timeout_ms=1000)
            except KafkaError as exc:  # the client reconnects by itself; say so and go on
                log.warning("reading %s: %r", ", ".join(STREAMED_TOPICS), exc)
                await asyncio.sleep(0.5)
                continue
            except Exception:
                # Not Kafka's doing: readiness goes down (the pod is replaced) rather than
                # every stream here silently receiving nothing.
                log.exception("the gateway's Kafka reader failed")
                self.ready.clear()
                raise
            per_partition: list[list[StreamEvent]] = []
            for tp, messages in batches.items():
                if not messages:
                    continue
                events = [e for e in (decode(m, index[tp.topic]) for m in messages) if e is not None]
                per_partition.append(events)
                self.positions[tp] = messages[-1].offset + 1
            # Positions and dispatch change together, with no await between them: a stream
            # subscribing now sees either all of this batch or none of it.
            for event in in_write_order(per_partition):
                self.events_read += 1
                self.on_event(event)
                for sub in tuple(self._subscribers.get(event.user_id, ())):
                    sub.offer(event)
