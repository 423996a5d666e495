"""Reading a learner's past events back from Kafka, for a stream resumed from a cursor.

A resume reads one partition per topic (the learner's), from a little before the cursor
(to recognise redelivered duplicates) up to where the hub's live reading began for that
stream. Readers are pooled: a gateway restart reconnects every stream at once, and each
reader is a broker connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

from aiokafka import AIOKafkaConsumer, TopicPartition

from learnflow.events import BrokerError
from learnflow.gateway._hub import ConsumerFactory, consumer_config, decode
from learnflow.gateway._records import StreamEvent
from learnflow.serverless import KafkaSettings

READ_TIMEOUT_S = 30.0


class History:
    """A pool of up to ``readers`` group-less consumers, each reading one range at a time."""

    def __init__(
        self, settings: KafkaSettings, *, readers: int = 4, consumer_factory: ConsumerFactory = AIOKafkaConsumer
    ) -> None:
        self.settings = settings
        self._factory = consumer_factory
        self._slots = asyncio.Semaphore(readers)
        self._idle: list[AIOKafkaConsumer] = []
        self._all: list[AIOKafkaConsumer] = []
        self.reads = 0

    async def read(
        self, user_id: uuid.UUID, topic: str, partition: int, start: int, stop: int, topic_index: int
    ) -> list[StreamEvent]:
        """``user_id``'s streamed events at offsets ``start`` (inclusive) to ``stop`` (exclusive)."""
        if start >= stop:
            return []
        async with self._slots:
            consumer = self._idle.pop() if self._idle else await self._new()
            try:
                events = await asyncio.wait_for(
                    self._read(consumer, user_id, TopicPartition(topic, partition), start, stop, topic_index), READ_TIMEOUT_S
                )
            except BaseException:
                await self._discard(consumer)
                raise
            self._idle.append(consumer)
            self.reads += 1
            return events

    async def _new(self) -> AIOKafkaConsumer:
        consumer = self._factory(**consumer_config(self.settings))
        try:
            await consumer.start()
        except Exception as exc:
            with contextlib.suppress(Exception):
                await consumer.stop()
            raise BrokerError(f"cannot read history from {self.settings.bootstrap_servers}: {exc!r}") from exc
        self._all.append(consumer)
        return consumer

    @staticmethod
    async def _read(
        consumer: AIOKafkaConsumer, user_id: uuid.UUID, tp: TopicPartition, start: int, stop: int, topic_index: int
    ) -> list[StreamEvent]:
        consumer.assign([tp])
        consumer.seek(tp, start)
        key = str(user_id).encode()
        out: list[StreamEvent] = []
        while await consumer.position(tp) < stop:
            batches = await consumer.getmany(tp, timeout_ms=500)
            for message in batches.get(tp, ()):
                if message.offset >= stop:
                    break
                if message.key != key:
                    continue  # another learner's; the document's own userId is checked below
                event = decode(message, topic_index)
                if event is not None and event.user_id == user_id:
                    out.append(event)
        return out

    async def _discard(self, consumer: AIOKafkaConsumer) -> None:
        if consumer in self._all:
            self._all.remove(consumer)
        with contextlib.suppress(Exception):
            await consumer.stop()

    async def close(self) -> None:
        consumers, self._all, self._idle = self._all, [], []
        for consumer in consumers:
            with contextlib.suppress(Exception):
                await consumer.stop()
