"""Hand-written stand-ins for the dispatcher's edges: Kafka, the function's HTTP, the dead-letter topic.

``FakeKafka`` is a consumer factory over in-memory partition logs, with one group member
at a time: the consumer it makes is assigned every partition at its first poll and
resumes from the group's commits. Only the methods the dispatcher's session calls exist.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kafka import TopicPartition
from kafka.errors import KafkaError

from learnflow.events import CloudEventMessage, KafkaRecord, to_binary
from learnflow.local.manifests import KafkaSource
from learnflow.local.runtime.transport import HttpAnswer

from ...support.dispatch import scripted_source

TOPIC = "t"


def source(ordering: str = "ordered", retry: int = 3) -> KafkaSource:
    """The fixture KafkaSource on ``TOPIC``, its backoff shortened to milliseconds."""
    base = scripted_source(TOPIC, "g", retry=retry, backoff_delay=0.001)
    return dataclasses.replace(base, ordering=ordering)


@dataclass(frozen=True)
class FakeRecord:
    offset: int
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]
    timestamp: int = 0


def event(event_id: str, data: Mapping[str, Any] | None = None, key: str = "user-1") -> KafkaRecord:
    """A binary-mode CloudEvent record, as a producer of our topics writes one."""
    attributes = {"specversion": "1.0", "id": event_id, "type": "test", "source": "/tests", "partitionkey": key}
    attributes["datacontenttype"] = "application/json"
    return to_binary(CloudEventMessage(attributes, json.dumps(data or {}).encode()))


class FakeKafka:
    """Partition logs and a group's commits; called with consumer config, it makes a consumer."""

    def __init__(self, partitions: Mapping[str, int]) -> None:
        self.logs: dict[TopicPartition, list[FakeRecord]] = {
            TopicPartition(topic, p): [] for topic, n in partitions.items() for p in range(n)
        }
        self.committed: dict[TopicPartition, int] = {}
        self.consumers: list[FakeConsumer] = []
        self.lock = threading.Lock()

    def append(self, tp: TopicPartition, record: KafkaRecord) -> None:
        with self.lock:
            log = self.logs[tp]
            log.append(FakeRecord(len(log), record.key, record.value, list(record.headers)))

    def __call__(self, **config: Any) -> FakeConsumer:
        consumer = FakeConsumer(self, config)
        self.consumers.append(consumer)
        return consumer

    def wait_committed(self, total: int, timeout: float = 10.0) -> dict[TopicPartition, int]:
        deadline = time.monotonic() + timeout
        while sum(self.committed.values()) < total and time.monotonic() < deadline:
            time.sleep(0.005)
        return dict(self.committed)


@dataclass
class FakeConsumer:
    kafka: FakeKafka
    config: dict[str, Any]
    listener: Any = None
    assigned: list[TopicPartition] = field(default_factory=list)
    positions: dict[TopicPartition, int] = field(default_factory=dict)
    closed: bool = False
    revoke_next: list[TopicPartition] = field(default_factory=list)  # revoked, then given back, at the next poll
    fail_next_poll: bool = False

    def subscribe(self, topics: list[str], listener: Any) -> None:
        self.listener = listener
        self.topics = topics

    def poll(self, timeout_ms: int, max_records: int) -> dict[TopicPartition, list[FakeRecord]]:
        if self.fail_next_poll:
            self.fail_next_poll = False
            raise KafkaError("broker lost (injected)")
        if not self.assigned:
            self.assigned = [tp for tp in self.kafka.logs if tp.topic in self.topics]
            self._resume(self.assigned)
            self.listener.on_partitions_assigned(set(self.assigned))
        if self.revoke_next:
            revoked, self.revoke_next = self.revoke_next, []
            self.listener.on_partitions_revoked(set(revoked))
            self._resume(revoked)
            self.listener.on_partitions_assigned(set(revoked))
        batches: dict[TopicPartition, list[FakeRecord]] = {}
        with self.kafka.lock:
            for tp in self.assigned:
                taken = self.kafka.logs[tp][self.positions[tp] : self.positions[tp] + max_records]
                max_records -= len(taken)
                if taken:
                    batches[tp] = taken
                    self.positions[tp] += len(taken)
        if not batches:
            time.sleep(timeout_ms / 1000)
        return batches

    def _resume(self, tps: list[TopicPartition]) -> None:
        for tp in tps:
            self.positions[tp] = self.kafka.committed.get(tp, 0)

    def commit(self, offsets: Mapping[TopicPartition, Any]) -> None:
        self.kafka.committed.update({tp: om.offset for tp, om in offsets.items()})

    def highwater(self, tp: TopicPartition) -> int | None:
        return len(self.kafka.logs[tp])

    def position(self, tp: TopicPartition, timeout_ms: int = 0) -> int | None:
        return self.positions.get(tp)

    def close(self, autocommit: bool = True) -> None:
        self.closed = True


class ScriptedTransport:
    """Answers each POST by the event's data ``{"script": [status, ...]}`` (one status per attempt)."""

    def __init__(self, together: threading.Barrier | None = None) -> None:
        self.seen: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._together = together  # answers only once this many requests are waiting
        self.closed = False

    def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> HttpAnswer:
        if self._together is not None:
            self._together.wait()
        data = json.loads(body or b"{}")
        with self._lock:
            attempt = sum(1 for s in self.seen if s["id"] == headers.get("ce-id"))
            self.seen.append({"id": headers.get("ce-id"), "data": data, "thread": threading.get_ident()})
        script = data.get("script") or [200]
        status = script[min(attempt, len(script) - 1)]
        if isinstance(status, str):
            raise RuntimeError(status)
        return HttpAnswer(status, {"kne-reason": f"scripted {status}"} if status >= 300 else {}, b"{}")

    def close(self) -> None:
        self.closed = True


class RecordingPublisher:
    """A Publisher that keeps what it is given, and refuses the first ``failures`` records."""

    def __init__(self, failures: int = 0, on_failure: Any = None) -> None:
        self.sent: list[tuple[str, KafkaRecord]] = []
        self.failures = failures
        self.on_failure = on_failure

    def send_record(self, topic: str, record: KafkaRecord) -> None:
        from learnflow.events import PublishError

        if self.failures > 0:
            self.failures -= 1
            if self.on_failure is not None:
                self.on_failure()
            raise PublishError("dead-letter topic unavailable (injected)")
        self.sent.append((topic, record))


def until(condition: Any, timeout: float = 10.0) -> bool:
    """Wait for ``condition()`` to hold; its last value (a test asserts it)."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    return bool(condition())
