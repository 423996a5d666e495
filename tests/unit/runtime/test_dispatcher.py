"""The dispatcher's poll loop over fakes of its edges: Kafka, the function, the dead-letter topic.

The same semantics against the embedded broker and a real function are in
tests/integration/test_dispatcher.py.
"""

import threading

import pytest
from kafka import TopicPartition

from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.sink import SinkWriter
from learnflow.serverless import FETCH_WAIT_MS, kafka_settings

from .fakes import TOPIC, FakeKafka, RecordingPublisher, ScriptedTransport, event, source, until

P0, P1, P2 = (TopicPartition(TOPIC, p) for p in range(3))
SETTINGS = kafka_settings(KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")  # never dialled: the fakes stand in


class BlockingTransport(ScriptedTransport):
    """Holds every answer until ``release`` is set."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()
        self.waiting = []  # ids of the requests held so far

    def post(self, url, headers, body, timeout):
        self.waiting.append(headers.get("ce-id"))
        assert self.release.wait(10)
        return super().post(url, headers, body, timeout)


@pytest.fixture
def kafka():
    return FakeKafka({TOPIC: 3})


@pytest.fixture
def run(kafka):
    """Start a dispatcher on the fakes; stopped at teardown."""
    started = []

    def start(transport=None, ordering="ordered", publisher=None, **options):
        src = source(ordering=ordering)
        dead_letters = SinkWriter(src.delivery.dead_letter_sink, publisher or RecordingPublisher())
        options.setdefault("consumer_factory", kafka)
        dispatcher = Dispatcher(src, "http://fn/", SETTINGS, dead_letters, transport=transport or ScriptedTransport(), **options)
        started.append(dispatcher.start())
        return dispatcher

    yield start
    for dispatcher in started:
        dispatcher.stop()


def _fill(kafka, per_partition, script=None):
    for tp in (P0, P1, P2):
        for i in range(per_partition):
            kafka.append(tp, event(f"{tp.partition}-{i}", {"script": script} if script else {}))


def test_every_record_is_delivered_in_partition_order_and_committed(kafka, run):
    _fill(kafka, 10)
    transport = ScriptedTransport()
    dispatcher = run(transport)
    assert kafka.wait_committed(30) == {P0: 10, P1: 10, P2: 10}
    for p in range(3):
        assert [s["id"] for s in transport.seen if s["id"].startswith(f"{p}-")] == [f"{p}-{i}" for i in range(10)]
    stats = dispatcher.stats
    assert (stats.received, stats.delivered, stats.dead_lettered, stats.connected) == (30, 30, 0, True)
    assert until(lambda: stats.lag == {(TOPIC, 0): 0, (TOPIC, 1): 0, (TOPIC, 2): 0})


def test_refused_records_are_dead_lettered_and_committed(kafka, run):
    _fill(kafka, 2, script=[400])
    publisher = RecordingPublisher()
    dispatcher = run(publisher=publisher)
    assert sum(kafka.wait_committed(6).values()) == 6
    assert len(publisher.sent) == 6 and dispatcher.stats.dead_lettered == 6


def test_taken_records_stop_at_the_buffer_limit_until_some_finish(kafka, run):
    _fill(kafka, 5)
    transport = BlockingTransport()
    dispatcher = run(transport, buffer_limit=4)
    assert until(lambda: dispatcher.stats.received == 4)
    assert dispatcher.in_flight == 4, "nothing more is taken while four are unfinished"
    transport.release.set()
    assert sum(kafka.wait_committed(15).values()) == 15


def test_the_lag_shows_the_backlog_until_it_is_committed(kafka, run):
    _fill(kafka, 5)
    transport = BlockingTransport()
    dispatcher = run(transport)
    assert until(lambda: sum(dispatcher.stats.lag.values()) == 15)
    transport.release.set()
    assert until(lambda: sum(dispatcher.stats.lag.values()) == 0)


def test_a_stop_leaves_unfinished_records_uncommitted(kafka, run):
    _fill(kafka, 1)
    transport = BlockingTransport()
    dispatcher = run(transport)
    assert until(lambda: dispatcher.stats.received == 3)
    dispatcher.stop()
    transport.release.set()
    assert sum(kafka.committed.values()) == 0


def test_records_of_a_revoked_partition_are_read_again_by_its_next_assignment(kafka, run):
    _fill(kafka, 3)
    transport = BlockingTransport()
    run(transport)
    assert until(lambda: "0-0" in transport.waiting)
    kafka.consumers[0].revoke_next = [P0]  # while P0's first record is being delivered
    assert until(lambda: not kafka.consumers[0].revoke_next)
    transport.release.set()
    assert kafka.wait_committed(9) == {P0: 3, P1: 3, P2: 3}
    ids = [s["id"] for s in transport.seen]
    assert ids.count("0-0") == 2, "delivered by the revoked assignment, then again by the next"
    assert {f"{p}-{i}" for p in range(3) for i in range(3)} == set(ids)


def test_a_lost_broker_is_reconnected_with_a_new_consumer(kafka, run):
    _fill(kafka, 2)

    def factory(**config):
        consumer = kafka(**config)
        consumer.fail_next_poll = len(kafka.consumers) == 1  # the first one loses its broker at once
        return consumer

    dispatcher = run(consumer_factory=factory)
    assert sum(kafka.wait_committed(6).values()) == 6
    assert len(kafka.consumers) == 2 and kafka.consumers[0].closed
    assert dispatcher.stats.connected


def test_every_consumer_waits_the_one_fixed_fetch_wait(kafka, run):
    run()
    _fill(kafka, 1)
    assert sum(kafka.wait_committed(3).values()) == 3
    assert {c.config["fetch_max_wait_ms"] for c in kafka.consumers} == {FETCH_WAIT_MS}
