"""Reading the few things the front needs out of Kafka frames, and rewriting one field.

A frame here is what follows the 4-byte size prefix. Every request starts with api key,
api version and correlation id at fixed offsets; only Fetch, Produce and Metadata are
decoded further, with kafka-python's generated protocol classes (the schemas of Apache
Kafka's message JSON, flexible versions and tagged fields included). Records are never
decoded: a Produce's batches are skipped by their length, reading one header field each.

Pure functions over bytes: no socket, no clock, so all of it is unit-tested.
"""

from __future__ import annotations

import functools
import struct
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from kafka.protocol.consumer import FetchRequest, FetchResponse
from kafka.protocol.metadata import MetadataResponse
from kafka.protocol.producer import ProduceRequest, ProduceResponse

P = ParamSpec("P")
R = TypeVar("R")

PRODUCE, FETCH, METADATA, END_TXN = 0, 1, 3, 26

# The first flexible version of each API the front reads: its request header has tagged
# fields (header v2), which shift the body.
_FLEXIBLE_FROM = {PRODUCE: 9, FETCH: 12, METADATA: 9}
# Fetch v15 dropped ReplicaId (KIP-903), so MaxWaitMs moved to the body's first field.
_FETCH_WITHOUT_REPLICA_ID = 15
_NO_TOPIC_ID = uuid.UUID(int=0)

TopicKey = str | uuid.UUID
"""A topic as a request names it: by name, or by id from Fetch v13 on."""


class FrameError(ValueError):
    """A frame the front cannot read; it is then forwarded without being understood."""


@dataclass(frozen=True)
class RequestHead:
    api_key: int
    api_version: int
    correlation_id: int


@dataclass(frozen=True)
class FetchAsk:
    """What a Fetch waits for: ``offsets`` maps (topic, partition) to the offset asked for."""

    max_wait_ms: int
    min_bytes: int
    read_committed: bool
    offsets: dict[tuple[TopicKey, int], int]


@dataclass(frozen=True)
class ProduceAsk:
    """A Produce: ``counts`` maps (topic, partition) to the records sent, None if unreadable."""

    acks: int
    counts: dict[tuple[str, int], int | None]


def head(frame: bytes) -> RequestHead:
    if len(frame) < 8:
        raise FrameError(f"a request of {len(frame)} bytes has no header")
    api_key, api_version, correlation_id = struct.unpack_from(">hhi", frame, 0)
    return RequestHead(api_key, api_version, correlation_id)


def correlation_id(answer: bytes) -> int:
    if len(answer) < 4:
        raise FrameError(f"an answer of {len(answer)} bytes has no correlation id")
    return int(struct.unpack_from(">i", answer, 0)[0])


def _uvarint(frame: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= len(frame):
            raise FrameError("a varint runs past the end of the frame")
        byte = frame[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def body_offset(frame: bytes, api_key: int, api_version: int) -> int:
    """Where the request body starts: after client_id and, in flexible versions, the header's tags."""
    if len(frame) < 10:
        raise FrameError("a request header ends before its client id")
    (client_id_len,) = struct.unpack_from(">h", frame, 8)  # an int16 length even in header v2
    pos: int = 10 + max(int(client_id_len), 0)
    if api_version >= _FLEXIBLE_FROM.get(api_key, 1 << 15):
        count, pos = _uvarint(frame, pos)
        for _ in range(count):
            _, pos = _uvarint(frame, pos)
            size, pos = _uvarint(frame, pos)
            pos += size
    if pos > len(frame):
        raise FrameError("a request header runs past the end of the frame")
    return pos


def with_max_wait(frame: bytes, max_wait_ms: int) -> bytes:
    """The same Fetch with another MaxWaitMs; every other byte unchanged."""
    h = head(frame)
    if h.api_key != FETCH:
        raise FrameError(f"api key {h.api_key} is not a Fetch")
    pos = body_offset(frame, h.api_key, h.api_version) + (0 if h.api_version >= _FETCH_WITHOUT_REPLICA_ID else 4)
    out = bytearray(frame)
    struct.pack_into(">i", out, pos, max_wait_ms)
    return bytes(out)


def _readable(read: Callable[P, R]) -> Callable[P, R]:
    """``read`` raising FrameError for whatever the decoded message lacks or holds wrongly."""

    @functools.wraps(read)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return read(*args, **kwargs)
        except (AttributeError, TypeError, KeyError) as exc:
            raise FrameError(f"{read.__name__}: {exc!r}") from exc

    return wrapper


def _decode(cls: Any, frame: bytes, version: int, header: bool) -> Any:
    if not cls.min_version <= version <= cls.max_version:
        raise FrameError(f"{cls.__name__} v{version} is not a version the front reads")
    try:
        return cls.decode(frame, version=version, header=header)
    except Exception as exc:  # the decoder raises struct, index and value errors alike
        raise FrameError(f"{cls.__name__} v{version}: {exc!r}") from exc


@_readable
def fetch_ask(frame: bytes) -> FetchAsk:
    h = head(frame)
    request = _decode(FetchRequest, frame, h.api_version, header=True)
    by_id = h.api_version >= 13
    offsets: dict[tuple[TopicKey, int], int] = {}
    for topic in request.topics:
        key: TopicKey = topic.topic_id if by_id else topic.topic
        for p in topic.partitions:
            offsets[(key, p.partition)] = p.fetch_offset
    return FetchAsk(request.max_wait_ms, request.min_bytes, request.isolation_level == 1, offsets)


def batch_record_count(records: bytes | None) -> int | None:
    """How many offsets a Produce's record batches take; None for the old message formats."""
    if not records:
        return 0
    pos, count = 0, 0
    # A v2 batch: baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8,
    # crc int32, attributes int16, lastOffsetDelta int32, ...
    while pos + 27 <= len(records):
        (length,) = struct.unpack_from(">i", records, pos + 8)
        if records[pos + 16] != 2:
            return None
        (last_offset_delta,) = struct.unpack_from(">i", records, pos + 23)
        count += last_offset_delta + 1
        pos += 12 + length
    return count


@_readable
def produce_ask(frame: bytes) -> ProduceAsk:
    h = head(frame)
    request = _decode(ProduceRequest, frame, h.api_version, header=True)
    counts: dict[tuple[str, int], int | None] = {}
    for topic in request.topic_data:
        for p in topic.partition_data:
            counts[(topic.name, p.index)] = batch_record_count(p.records)
    return ProduceAsk(request.acks, counts)


@_readable
def produced_base_offsets(answer: bytes, version: int) -> dict[tuple[str, int], int | None]:
    """Each partition's base offset in a Produce answer; None where it failed."""
    response = _decode(ProduceResponse, answer, version, header=True)
    return {
        (topic.name, p.index): (p.base_offset if p.error_code == 0 else None)
        for topic in response.responses
        for p in topic.partition_responses
    }


@dataclass(frozen=True)
class Fetched:
    """What a Fetch answer says: each partition's high watermark (None where it failed),
    and how many bytes of records it carries in all."""

    high_watermarks: dict[tuple[TopicKey, int], int | None]
    record_bytes: int
    failed: bool


@_readable
def fetched(answer: bytes, version: int) -> Fetched:
    response = _decode(FetchResponse, answer, version, header=True)
    by_id = version >= 13
    highs: dict[tuple[TopicKey, int], int | None] = {}
    record_bytes = 0
    for topic in response.responses:
        for p in topic.partitions:
            highs[(topic.topic_id if by_id else topic.topic, p.partition_index)] = p.high_watermark if p.error_code == 0 else None
            record_bytes += len(p.records or b"")
    failed = bool(getattr(response, "error_code", 0)) or None in highs.values()
    return Fetched(highs, record_bytes, failed)


@_readable
def metadata_topic_ids(answer: bytes, version: int) -> dict[uuid.UUID, str]:
    """Topic id to name, from a Metadata answer of v10 or later (earlier ones carry no ids)."""
    if version < 10:
        return {}
    response = _decode(MetadataResponse, answer, version, header=True)
    return {t.topic_id: t.name for t in response.topics if t.name and t.topic_id and t.topic_id != _NO_TOPIC_ID}
