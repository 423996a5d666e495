"""Counts stay exact when every thread can be switched out at any bytecode.

CPython with the GIL rarely switches threads inside ``x += 1``, so a lost increment is
rare in a plain run. These tests make it likely: a tracer makes each thread yield before
every bytecode of the code under test, so two threads' increments interleave wherever
they can. The dispatcher's old counts (plain ``stats.delivered += 1`` from every worker)
lost about half of them this way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kafka import TopicPartition

from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.stats import SourceStats
from learnflow.serverless import kafka_settings

from .fakes import TOPIC, FakeKafka, RecordingPublisher, ScriptedTransport, event, source

RUNTIME = str(Path(__file__).resolve().parents[3] / "learnflow" / "local" / "runtime")


def _yield_before_each_bytecode(frame: Any, what: str, arg: Any) -> Callable[..., Any]:
    if what == "opcode":
        time.sleep(0)  # releases the GIL: another thread may run before this bytecode
    return _yield_before_each_bytecode


def _trace(frame: Any, what: str, arg: Any) -> Callable[..., Any] | None:
    if not frame.f_code.co_filename.startswith(RUNTIME):
        return None
    frame.f_trace_opcodes = True
    return _yield_before_each_bytecode


@contextmanager
def preempting() -> Iterator[None]:
    """Threads started inside yield before every bytecode of learnflow.local.runtime."""
    threading.settrace(_trace)
    try:
        yield
    finally:
        threading.settrace(None)  # type: ignore[arg-type]


def test_counts_from_many_threads_are_exact():
    stats = SourceStats()

    def count() -> None:
        for _ in range(50):
            stats.count_delivered()
            stats.count_dead_lettered()
            stats.count_received(2)

    with preempting():
        threads = [threading.Thread(target=count) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert (stats.received, stats.delivered, stats.dead_lettered) == (800, 400, 400)


def test_the_dispatchers_workers_count_every_record_they_finish():
    workers = 8
    n = workers * 6
    kafka = FakeKafka({TOPIC: 4})
    for i in range(n):
        kafka.append(TopicPartition(TOPIC, i % 4), event(f"e{i}", {"script": [200 if i % 3 else 400]}))
    src = source(ordering="unordered")
    dead_letters = SinkWriter(src.delivery.dead_letter_sink, RecordingPublisher())
    settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")
    # Answers come in rounds of one per worker, so the workers count at the same moments.
    transport = ScriptedTransport(together=threading.Barrier(workers, timeout=30))
    with preempting():
        dispatcher = Dispatcher(
            src, "http://fn/", settings, dead_letters, consumer_factory=kafka, transport=transport, max_in_flight=workers
        ).start()
        try:
            assert sum(kafka.wait_committed(n, timeout=60).values()) == n
            stats = dispatcher.stats
            assert (stats.received, stats.delivered, stats.dead_lettered) == (n, 32, 16)
        finally:
            dispatcher.stop()
