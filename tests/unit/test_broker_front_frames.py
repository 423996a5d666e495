"""The front's frame reading, on frames encoded by the clients' own protocol code:
aiokafka's hand-written structs (non-flexible versions) and kafka-python's generated ones
(flexible versions, topic ids), plus hand-made bytes where no encoder goes (header tags)."""

from __future__ import annotations

import struct
import uuid

import pytest
from aiokafka.protocol.api import RequestHeader_v1
from aiokafka.protocol.fetch import FetchRequest_v11
from aiokafka.protocol.produce import ProduceRequest_v7
from kafka.protocol.consumer import FetchRequest, FetchResponse
from kafka.protocol.metadata import MetadataResponse
from kafka.protocol.producer import ProduceRequest, ProduceResponse
from kafka.record import MemoryRecordsBuilder

from learnflow.local.broker_front import _frames as frames
from learnflow.local.broker_front._frames import FetchAsk, FrameError
from learnflow.local.broker_front._ledger import Ledger, Outlook

TOPIC_ID = uuid.UUID("0190d3c2-0000-7000-8000-000000000001")


def records(count: int, batches: int = 1) -> bytes:
    out = b""
    for _ in range(batches):
        builder = MemoryRecordsBuilder(magic=2, compression_type=0, batch_size=1 << 20)
        for i in range(count):
            builder.append(timestamp=None, key=None, value=b"v%d" % i, headers=[])
        builder.close()
        out += bytes(builder.buffer())
    return out


def kafka_python_fetch(version: int, max_wait_ms: int = 500, offset: int = 42) -> bytes:
    t = FetchRequest.FetchTopic
    request = FetchRequest(
        replica_id=-1,
        max_wait_ms=max_wait_ms,
        min_bytes=1,
        max_bytes=1 << 20,
        isolation_level=1,
        session_id=0,
        session_epoch=-1,
        topics=[
            t(
                topic="t",
                topic_id=TOPIC_ID,
                partitions=[t.FetchPartition(partition=3, fetch_offset=offset, partition_max_bytes=100)],
            )
        ],
        forgotten_topics_data=[],
        rack_id="",
    )
    request.with_header(correlation_id=11, client_id="kp")
    return bytes(request.encode(version=version, header=True))


def framed_answer(answer: object, version: int, flexible_from: int) -> bytes:
    """An answer as the broker sends it: response header v0, or v1 (with tags) when flexible."""
    header = struct.pack(">i", 1) + (b"\x00" if version >= flexible_from else b"")
    return header + bytes(answer.encode(version=version))  # type: ignore[attr-defined]


def test_an_aiokafka_fetch_v11_is_read_by_name():
    request = FetchRequest_v11(-1, 500, 1, 1000, 0, 0, -1, [("t", [(0, -1, 42, -1, 100)])], [], "")
    frame = RequestHeader_v1(request, correlation_id=9, client_id="aio").encode() + request.encode()
    assert frames.head(frame) == frames.RequestHead(frames.FETCH, 11, 9)
    assert frames.fetch_ask(frame) == FetchAsk(500, 1, False, {("t", 0): 42})


@pytest.mark.parametrize("version", [4, 12, 13, 15, 16, 17])
def test_a_fetch_of_each_version_is_read_and_its_wait_rewritten_alone(version: int):
    frame = kafka_python_fetch(version)
    ask = frames.fetch_ask(frame)
    key = TOPIC_ID if version >= 13 else "t"
    assert ask == FetchAsk(500, 1, True, {(key, 3): 42})
    rewritten = frames.with_max_wait(frame, 7)
    assert len(rewritten) == len(frame)
    assert frames.fetch_ask(rewritten) == FetchAsk(7, 1, True, {(key, 3): 42})
    assert sum(a != b for a, b in zip(frame, rewritten, strict=True)) <= 2  # 500 -> 7: the low bytes only


def test_tags_in_a_flexible_request_header_are_skipped():
    frame = kafka_python_fetch(12)
    start = frames.body_offset(frame, frames.FETCH, 12)
    assert frame[start - 1] == 0  # no tags: a zero count
    tag = bytes([1, 5, 3]) + b"abc"  # one tag (5) of three bytes
    tagged = frame[: start - 1] + tag + frame[start:]
    assert frames.body_offset(tagged, frames.FETCH, 12) == start - 1 + len(tag)
    assert frames.fetch_ask(frames.with_max_wait(tagged, 9)).max_wait_ms == 9


def test_an_aiokafka_produce_v7_counts_the_records_of_every_batch():
    request = ProduceRequest_v7(None, 1, 1000, [("t", [(0, records(3, batches=2)), (1, records(1))])])
    frame = RequestHeader_v1(request, correlation_id=5, client_id="aio").encode() + request.encode()
    ask = frames.produce_ask(frame)
    assert ask.acks == 1
    assert ask.counts == {("t", 0): 6, ("t", 1): 1}


def test_a_flexible_produce_and_its_answer_give_the_new_end():
    t = ProduceRequest.TopicProduceData
    request = ProduceRequest(
        transactional_id=None,
        acks=-1,
        timeout_ms=100,
        topic_data=[t(name="t", partition_data=[t.PartitionProduceData(index=2, records=records(4))])],
    )
    request.with_header(correlation_id=3, client_id="kp")
    ask = frames.produce_ask(bytes(request.encode(version=9, header=True)))
    assert ask.counts == {("t", 2): 4}

    r = ProduceResponse.TopicProduceResponse
    answer = ProduceResponse(
        responses=[
            r(
                name="t",
                partition_responses=[
                    r.PartitionProduceResponse(index=2, error_code=0, base_offset=10),
                    r.PartitionProduceResponse(index=3, error_code=6, base_offset=-1),
                ],
            )
        ],
        throttle_time_ms=0,
    )
    assert frames.produced_base_offsets(framed_answer(answer, 9, 9), 9) == {("t", 2): 10, ("t", 3): None}


def test_a_fetch_answer_gives_each_partitions_high_watermark():
    t = FetchResponse.FetchableTopicResponse
    answer = FetchResponse(
        throttle_time_ms=0,
        error_code=0,
        session_id=0,
        responses=[
            t(
                topic="t",
                topic_id=TOPIC_ID,
                partitions=[
                    t.PartitionData(partition_index=0, error_code=0, high_watermark=7, records=records(2)),
                    t.PartitionData(partition_index=1, error_code=1, high_watermark=-1, records=None),
                ],
            )
        ],
    )
    for version, key in ((11, "t"), (12, "t"), (16, TOPIC_ID)):
        got = frames.fetched(framed_answer(answer, version, 12), version)
        assert got.high_watermarks == {(key, 0): 7, (key, 1): None}
        assert got.record_bytes == len(records(2))
        assert got.failed


def test_a_metadata_answer_names_topic_ids():
    t = MetadataResponse.MetadataResponseTopic
    answer = MetadataResponse(
        throttle_time_ms=0,
        brokers=[],
        cluster_id="c",
        controller_id=1,
        topics=[t(error_code=0, name="t", topic_id=TOPIC_ID, is_internal=False, partitions=[])],
    )
    assert frames.metadata_topic_ids(framed_answer(answer, 12, 9), 12) == {TOPIC_ID: "t"}
    assert frames.metadata_topic_ids(framed_answer(answer, 9, 9), 9) == {}


def test_what_cannot_be_read_says_so():
    with pytest.raises(FrameError):
        frames.head(b"\x00\x01")
    with pytest.raises(FrameError):
        frames.fetch_ask(kafka_python_fetch(12)[:20])
    with pytest.raises(FrameError):
        frames.with_max_wait(struct.pack(">hhih", 3, 1, 1, -1), 5)  # a Metadata, not a Fetch


def test_the_ledger_knows_a_fetch_at_the_end_is_quiet():
    ledger = Ledger()
    at = FetchAsk(500, 1, False, {("t", 0): 4})
    assert ledger.outlook(at) is Outlook.UNKNOWN
    ledger.written(("t", 0), 4)
    assert ledger.outlook(at) is Outlook.QUIET
    ledger.read("t", 0, 3)  # an answer computed before that write never lowers the end
    assert ledger.outlook(at) is Outlook.QUIET
    ledger.written(("t", 0), 5)
    assert ledger.outlook(at) is Outlook.NEWS
    by_id = FetchAsk(500, 1, False, {(TOPIC_ID, 0): 5, ("u", 0): 0})
    assert ledger.outlook(by_id) is Outlook.UNKNOWN  # an id not yet named, a partition never seen
    ledger.named({TOPIC_ID: "t"})
    ledger.read("u", 0, 0)
    assert ledger.outlook(by_id) is Outlook.QUIET
    ledger.forget()
    assert ledger.outlook(by_id) is Outlook.UNKNOWN
