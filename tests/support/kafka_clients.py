"""Three independent Kafka clients behind one small face, so one test runs against each.

kafka-python (pure Python), aiokafka (asyncio, its own protocol code) and confluent-kafka
(librdkafka, C) each speak the protocol their own way: other versions of Fetch and Produce,
topic ids or names, other pipelining. A reader reads one topic, by assignment or in a group.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Protocol

import aiokafka
import confluent_kafka
import kafka

from learnflow.serverless import FETCH_WAIT_MS

# Tansu's group timing (see KafkaSettings.group_timeouts): it holds a JoinGroup for half the session.
SESSION_MS, HEARTBEAT_MS = 2000, 500


class Reader(Protocol):
    def read(self, count: int, timeout: float) -> list[bytes]:
        """Up to ``count`` record values, polling until there are that many or time runs out."""

    def commit(self) -> None: ...

    def assigned(self) -> set[int]:
        """The partitions this reader holds now (polling briefly, for group readers to rebalance)."""

    def close(self) -> None: ...


class Client(Protocol):
    name: str

    def produce(self, bootstrap: str, topic: str, values: Iterable[bytes], partition: int | None = 0) -> None: ...

    def reader(
        self, bootstrap: str, topic: str, *, group: str | None = None, fetch_wait_ms: int = FETCH_WAIT_MS, partitions: int = 1
    ) -> Reader: ...


class KafkaPython:
    name = "kafka-python"

    def produce(self, bootstrap: str, topic: str, values: Iterable[bytes], partition: int | None = 0) -> None:
        producer = kafka.KafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_request_size=8 << 20)
        try:
            for f in [producer.send(topic, v, partition=partition) for v in values]:
                f.get(30)
        finally:
            producer.close()

    def reader(
        self, bootstrap: str, topic: str, *, group: str | None = None, fetch_wait_ms: int = FETCH_WAIT_MS, partitions: int = 1
    ) -> Reader:
        consumer = kafka.KafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=fetch_wait_ms,
            request_timeout_ms=max(30_000, fetch_wait_ms + 10_000),
            session_timeout_ms=SESSION_MS,
            heartbeat_interval_ms=HEARTBEAT_MS,
        )
        if group is None:
            consumer.assign([kafka.TopicPartition(topic, p) for p in range(partitions)])
        else:
            consumer.subscribe([topic])
        return _KafkaPythonReader(consumer)


class _KafkaPythonReader:
    def __init__(self, consumer: kafka.KafkaConsumer) -> None:
        self.consumer = consumer

    def read(self, count: int, timeout: float) -> list[bytes]:
        out: list[bytes] = []
        deadline = time.monotonic() + timeout
        while len(out) < count and time.monotonic() < deadline:
            remaining_ms = max(1, int((deadline - time.monotonic()) * 1000))
            for batch in self.consumer.poll(timeout_ms=remaining_ms, max_records=count - len(out)).values():
                out += [r.value for r in batch]
        return out

    def commit(self) -> None:
        self.consumer.commit()

    def assigned(self) -> set[int]:
        self.consumer.poll(timeout_ms=200)
        return {tp.partition for tp in self.consumer.assignment()}

    def close(self) -> None:
        self.consumer.close()


class AioKafka:
    name = "aiokafka"

    def produce(self, bootstrap: str, topic: str, values: Iterable[bytes], partition: int | None = 0) -> None:
        async def run() -> None:
            producer = aiokafka.AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_request_size=8 << 20)
            await producer.start()
            try:
                futures = [await producer.send(topic, v, partition=partition) for v in values]
                await asyncio.gather(*futures)
            finally:
                await producer.stop()

        asyncio.run(run())

    def reader(
        self, bootstrap: str, topic: str, *, group: str | None = None, fetch_wait_ms: int = FETCH_WAIT_MS, partitions: int = 1
    ) -> Reader:
        return _AioKafkaReader(bootstrap, topic, group, fetch_wait_ms, partitions)


class _AioKafkaReader:
    """aiokafka on an event loop of its own, driven a step at a time from the test's thread."""

    def __init__(self, bootstrap: str, topic: str, group: str | None, fetch_wait_ms: int, partitions: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.consumer = self.loop.run_until_complete(self._start(bootstrap, topic, group, fetch_wait_ms, partitions))

    @staticmethod
    async def _start(
        bootstrap: str, topic: str, group: str | None, fetch_wait_ms: int, partitions: int
    ) -> aiokafka.AIOKafkaConsumer:
        consumer = aiokafka.AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=fetch_wait_ms,
            request_timeout_ms=max(40_000, fetch_wait_ms + 10_000),
            session_timeout_ms=SESSION_MS,
            heartbeat_interval_ms=HEARTBEAT_MS,
        )
        await consumer.start()
        if group is None:
            consumer.assign([aiokafka.TopicPartition(topic, p) for p in range(partitions)])
        else:
            consumer.subscribe([topic])
        return consumer

    def read(self, count: int, timeout: float) -> list[bytes]:
        async def run() -> list[bytes]:
            out: list[bytes] = []
            deadline = time.monotonic() + timeout
            while len(out) < count and time.monotonic() < deadline:
                remaining_ms = max(1, int((deadline - time.monotonic()) * 1000))
                batches = await self.consumer.getmany(timeout_ms=remaining_ms, max_records=count - len(out))
                for batch in batches.values():
                    out += [r.value for r in batch if r.value is not None]
            return out

        return self.loop.run_until_complete(run())

    def commit(self) -> None:
        self.loop.run_until_complete(self.consumer.commit())

    def assigned(self) -> set[int]:
        self.loop.run_until_complete(asyncio.sleep(0.2))  # the coordinator rebalances in the background
        return {tp.partition for tp in self.consumer.assignment()}

    def close(self) -> None:
        try:
            self.loop.run_until_complete(self.consumer.stop())
        finally:
            self.loop.close()


class Confluent:
    name = "confluent-kafka"

    def produce(self, bootstrap: str, topic: str, values: Iterable[bytes], partition: int | None = 0) -> None:
        producer = confluent_kafka.Producer(
            {"bootstrap.servers": bootstrap, "linger.ms": 5, "message.max.bytes": 8 << 20, "enable.idempotence": False}
        )
        failures: list[object] = []

        def delivered(err: object, _msg: object) -> None:
            if err is not None:
                failures.append(err)

        for v in values:
            kwargs = {} if partition is None else {"partition": partition}
            while True:
                try:
                    producer.produce(topic, v, on_delivery=delivered, **kwargs)
                    break
                except BufferError:  # the local queue is full: let deliveries drain it
                    producer.poll(0.1)
        left = producer.flush(30)
        assert left == 0 and not failures, f"{left} undelivered, failures: {failures}"

    def reader(
        self, bootstrap: str, topic: str, *, group: str | None = None, fetch_wait_ms: int = FETCH_WAIT_MS, partitions: int = 1
    ) -> Reader:
        consumer = confluent_kafka.Consumer(
            {
                "bootstrap.servers": bootstrap,
                # librdkafka needs a group id even to read by assignment; it commits nothing here.
                "group.id": group or f"reader-{time.monotonic_ns()}",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "fetch.wait.max.ms": fetch_wait_ms,
                "session.timeout.ms": SESSION_MS,
                "heartbeat.interval.ms": HEARTBEAT_MS,
            }
        )
        if group is None:
            consumer.assign(
                [confluent_kafka.TopicPartition(topic, p, confluent_kafka.OFFSET_BEGINNING) for p in range(partitions)]
            )
        else:
            consumer.subscribe([topic])
        return _ConfluentReader(consumer)


class _ConfluentReader:
    def __init__(self, consumer: confluent_kafka.Consumer) -> None:
        self.consumer = consumer

    def read(self, count: int, timeout: float) -> list[bytes]:
        out: list[bytes] = []
        deadline = time.monotonic() + timeout
        while len(out) < count and time.monotonic() < deadline:
            for m in self.consumer.consume(count - len(out), timeout=max(0.001, deadline - time.monotonic())):
                if m.error() is None:
                    out.append(m.value())
        return out

    def commit(self) -> None:
        self.consumer.commit(asynchronous=False)

    def assigned(self) -> set[int]:
        self.consumer.poll(0.2)
        return {tp.partition for tp in self.consumer.assignment()}

    def close(self) -> None:
        self.consumer.close()


CLIENTS: tuple[Client, ...] = (KafkaPython(), AioKafka(), Confluent())
