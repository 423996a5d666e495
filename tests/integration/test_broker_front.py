"""The embedded broker's front, with three independent clients: kafka-python, aiokafka and
confluent-kafka (librdkafka). Everything goes through the front, as every client of the
embedded broker does; the broker and the front are real processes, stopped by PID.

No test asserts how fast: a fetch "woken by a produce" waits 30 s at the broker, and the
record must arrive while it waits; latency is measured in bench/quiet_stack.py.
"""

from __future__ import annotations

import socket
import struct
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import kafka
import psutil
import pytest
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.protocol.consumer import FetchRequest, FetchResponse

from learnflow.local._broker import EmbeddedBroker

from ..support.kafka_clients import CLIENTS, Client, Reader

pytestmark = pytest.mark.timeout(180)

LONG_WAIT_MS = 30_000  # Tansu alone would look again only after 15 s


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(log_path=tmp_path_factory.mktemp("front") / "tansu.log") as running:
        yield running


def new_topic(bootstrap: str, partitions: int = 1, name: str | None = None) -> str:
    name = name or f"front-{uuid.uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        admin.close()
    return name


def by_client() -> pytest.MarkDecorator:
    return pytest.mark.parametrize("client", CLIENTS, ids=[c.name for c in CLIENTS])


@by_client()
def test_each_client_reads_back_what_it_wrote_small_and_large_batches(broker: EmbeddedBroker, client: Client):
    topic = new_topic(broker.bootstrap)
    small = [f"small-{i}".encode() for i in range(5)]
    large = [bytes([i % 251]) * 4096 for i in range(1500)]  # ~6 MiB: more than one fetch (Tansu caps at 5 MiB)
    client.produce(broker.bootstrap, topic, small)
    client.produce(broker.bootstrap, topic, large)
    reader = client.reader(broker.bootstrap, topic)
    try:
        got = reader.read(len(small) + len(large), timeout=60)
    finally:
        reader.close()
    assert got == small + large


@by_client()
def test_a_waiting_fetch_is_answered_when_a_record_is_written(broker: EmbeddedBroker, client: Client):
    topic = new_topic(broker.bootstrap)
    client.produce(broker.bootstrap, topic, [b"before"])
    reader = client.reader(broker.bootstrap, topic, fetch_wait_ms=LONG_WAIT_MS)
    try:
        assert reader.read(1, timeout=20) == [b"before"]
        assert reader.read(1, timeout=1) == []  # caught up: its next fetch waits at the front
        client.produce(broker.bootstrap, topic, [b"after"])
        # Well within the 15 s Tansu would take on its own: only a wake-up delivers it.
        assert reader.read(1, timeout=8) == [b"after"]
    finally:
        reader.close()


@by_client()
def test_a_wait_that_runs_out_answers_empty_and_the_reader_goes_on(broker: EmbeddedBroker, client: Client):
    topic = new_topic(broker.bootstrap)
    reader = client.reader(broker.bootstrap, topic, fetch_wait_ms=200)
    try:
        assert reader.read(1, timeout=3) == []  # a dozen waits ran out with nothing
        client.produce(broker.bootstrap, topic, [b"late"])
        assert reader.read(1, timeout=20) == [b"late"]
    finally:
        reader.close()


@by_client()
def test_a_group_commits_and_rebalances_through_the_front(broker: EmbeddedBroker, client: Client):
    topic = new_topic(broker.bootstrap, partitions=2)
    group = f"group-{uuid.uuid4().hex[:8]}"
    for p in (0, 1):
        client.produce(broker.bootstrap, topic, [f"first-{p}".encode()], partition=p)
    first = client.reader(broker.bootstrap, topic, group=group)
    joined: Reader | None = None
    try:
        assert sorted(first.read(2, timeout=30)) == [b"first-0", b"first-1"]
        first.commit()
        joined = client.reader(broker.bootstrap, topic, group=group)
        deadline = time.monotonic() + 60
        # Both poll at once: a member rejoins only inside its own poll, and Tansu holds a
        # JoinGroup for half the session (1 s), so a member polled in turn with the other
        # can miss the round on a loaded machine and make the group rebalance again.
        with ThreadPoolExecutor(2) as pool:
            while time.monotonic() < deadline:
                polls = pool.submit(first.assigned), pool.submit(joined.assigned)
                mine, theirs = (p.result() for p in polls)
                if len(mine) == 1 and len(theirs) == 1 and mine != theirs:
                    break
            else:
                pytest.fail(f"no rebalance: {mine} and {theirs}")
        for p in (0, 1):
            client.produce(broker.bootstrap, topic, [f"second-{p}".encode()], partition=p)
        # Each reads its own partition's new record; the committed ones are not read again.
        assert sorted(first.read(1, timeout=30) + joined.read(1, timeout=30)) == [b"second-0", b"second-1"]
    finally:
        first.close()
        if joined is not None:
            joined.close()


def _fetch_frame(topic: str, offset: int, max_wait_ms: int, min_bytes: int, correlation_id: int) -> bytes:
    part = FetchRequest.FetchTopic.FetchPartition(partition=0, fetch_offset=offset, partition_max_bytes=1 << 20)
    request = FetchRequest(
        replica_id=-1,
        max_wait_ms=max_wait_ms,
        min_bytes=min_bytes,
        max_bytes=1 << 20,
        isolation_level=0,
        session_id=0,
        session_epoch=-1,
        topics=[FetchRequest.FetchTopic(topic=topic, partitions=[part])],
        forgotten_topics_data=[],
        rack_id="",
    )
    request.with_header(correlation_id=correlation_id, client_id="raw")
    return bytes(request.encode(version=12, header=True, framed=True))


def _answer(sock: socket.socket) -> bytes:
    def exactly(n: int) -> bytes:
        out = b""
        while len(out) < n:
            chunk = sock.recv(n - len(out))
            assert chunk, "the front closed the connection"
            out += chunk
        return out

    (size,) = struct.unpack(">i", exactly(4))
    return exactly(size)


def _records_in(answer: bytes) -> int:
    response = FetchResponse.decode(answer, version=12, header=True)
    return sum(len(p.records or b"") for t in response.responses for p in t.partitions)


def test_a_fetch_asking_for_more_bytes_waits_its_whole_wait_though_a_record_came(broker: EmbeddedBroker):
    topic = new_topic(broker.bootstrap)
    host, port = broker.bootstrap.split(":")
    # A producer that has bootstrapped and knows the topic before the fetch starts waiting: a
    # new one spends its first second or two (on a loaded machine) on versions and metadata,
    # and a record written after the wait has run out is rightly not in the answer.
    producer = kafka.KafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=0)
    try:
        assert producer.partitions_for(topic) == {0}
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(_fetch_frame(topic, 0, max_wait_ms=3000, min_bytes=1 << 20, correlation_id=1))
            t0 = time.monotonic()
            producer.send(topic, b"small", partition=0).get(30)
            written = time.monotonic() - t0
            answer = _answer(sock)
            waited = time.monotonic() - t0
    finally:
        producer.close()
    # Kafka answers a fetch short of min_bytes only when its wait runs out; a lower bound
    # on the time is safe whatever the machine's load.
    assert waited >= 2.5
    assert written < 2.5, f"the record took {written:.1f} s to write: it came too late to be in the answer"
    assert _records_in(answer) > 0


def test_a_fetch_that_may_not_wait_at_all_still_gets_the_records_there(broker: EmbeddedBroker):
    topic = new_topic(broker.bootstrap)
    CLIENTS[0].produce(broker.bootstrap, topic, [b"there"])
    host, port = broker.bootstrap.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(_fetch_frame(topic, 0, max_wait_ms=0, min_bytes=1, correlation_id=1))
        answer = _answer(sock)
    assert _records_in(answer) > 0


def test_answers_keep_request_order_behind_a_held_fetch(broker: EmbeddedBroker):
    topic = new_topic(broker.bootstrap)
    host, port = broker.bootstrap.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            # The second waits for the first, held until its wait runs out, as on Kafka.
            _fetch_frame(topic, 0, max_wait_ms=1500, min_bytes=1, correlation_id=7)
            + _fetch_frame(topic, 0, max_wait_ms=100, min_bytes=1, correlation_id=8)
        )
        first, second = _answer(sock), _answer(sock)
    assert struct.unpack_from(">i", first)[0] == 7
    assert struct.unpack_from(">i", second)[0] == 8


def _front_connections(broker: EmbeddedBroker) -> int:
    assert broker.front.pid is not None
    return len([c for c in psutil.Process(broker.front.pid).net_connections() if c.status == psutil.CONN_ESTABLISHED])


def test_a_client_that_goes_away_mid_request_leaves_the_front_serving(broker: EmbeddedBroker):
    topic = new_topic(broker.bootstrap)
    host, port = broker.bootstrap.split(":")
    before = _front_connections(broker)
    frame = _fetch_frame(topic, 0, max_wait_ms=LONG_WAIT_MS, min_bytes=1, correlation_id=1)
    with socket.create_connection((host, int(port))) as half:
        half.sendall(frame[: len(frame) // 2])  # half a request
    with socket.create_connection((host, int(port))) as held:
        held.sendall(frame)  # a whole one, held at the front when the client leaves
        time.sleep(0.3)
    deadline = time.monotonic() + 10
    while _front_connections(broker) > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _front_connections(broker) <= before  # both, and their upstream connections, closed
    client = CLIENTS[0]
    client.produce(broker.bootstrap, topic, [b"still here"])
    reader = client.reader(broker.bootstrap, topic)
    try:
        assert reader.read(1, timeout=20) == [b"still here"]
    finally:
        reader.close()


@pytest.mark.parametrize("client", [CLIENTS[0], CLIENTS[2]], ids=[CLIENTS[0].name, CLIENTS[2].name])
def test_the_broker_restarting_under_the_front(tmp_path: Path, client: Client):
    with EmbeddedBroker(log_path=tmp_path / "tansu.log") as broker:
        topic = new_topic(broker.bootstrap)
        client.produce(broker.bootstrap, topic, [f"old-{i}".encode() for i in range(10)])
        broker.tansu.stop()
        broker.tansu.start()  # in memory: everything is gone, the topic too
        assert broker.front.running()
        new_topic(broker.bootstrap, name=topic)  # the same name, from offset 0 again
        reader = client.reader(broker.bootstrap, topic, fetch_wait_ms=LONG_WAIT_MS)
        try:
            assert reader.read(1, timeout=3) == []
            client.produce(broker.bootstrap, topic, [b"new"])
            # The front forgot the old broker's partition ends (10 here): the fetch at offset 0
            # waits at the front and is woken, not left to the broker's own 15 s look.
            assert reader.read(1, timeout=8) == [b"new"]
        finally:
            reader.close()
