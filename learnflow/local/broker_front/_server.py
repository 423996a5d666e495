"""The front's sockets: one upstream connection per client connection, requests in order.

Each request is forwarded unchanged, in the order it came, on its connection's own upstream
connection, and the broker's answers are relayed as they come; so answers keep request
order, as the protocol requires. The one exception is a Fetch that has nothing to read
(per the ledger): it is held, and the requests behind it with it, until

- a Produce answer moves one of its partitions' ends past the offset asked for (or the
  ledger loses track of it): forwarded with the rest of its wait, so that the broker
  answers at once when the records are there, and keeps min_bytes as the client asked;
- the client's own wait has run out: forwarded with a short wait (Tansu answers nothing
  at all to a wait of 0), so the client gets its empty answer on time;
- another request arrives behind it on the same connection: forwarded with the rest of its
  wait, so that request is not held for the Fetch's sake beyond what the broker would.

Forwarding with the rest of the wait is always safe: the broker then waits as it would
have, only without the front's early wake-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import time
from collections import deque
from dataclasses import dataclass

from learnflow.local.broker_front import _frames as frames
from learnflow.local.broker_front._frames import FrameError, ProduceAsk
from learnflow.local.broker_front._ledger import Ledger, Partition

log = logging.getLogger(__name__)

# What a held Fetch is forwarded with once its own wait is used up. Tansu reads every asked
# partition once and answers; with 0 it skips the read and lists no topics at all.
EXPIRED_WAIT_MS = 10
# Larger than any frame Tansu or a client sends (Tansu caps a fetch at 5 MiB); a size beyond
# it is a broken stream, not a request.
MAX_FRAME_BYTES = 256 * 1024 * 1024


@dataclass
class _InFlight:
    """A request forwarded and not yet answered."""

    head: frames.RequestHead
    produce: ProduceAsk | None = None

    @property
    def answered(self) -> bool:
        return self.produce is None or self.produce.acks != 0


async def _read_frame(reader: asyncio.StreamReader) -> bytes:
    (size,) = struct.unpack(">i", await reader.readexactly(4))
    if not 0 <= size <= MAX_FRAME_BYTES:
        raise FrameError(f"a frame of {size} bytes")
    return await reader.readexactly(size)


def _framed(frame: bytes) -> bytes:
    return struct.pack(">i", len(frame)) + frame


class Front:
    """Accepts clients on ``listen`` and relays them to the broker at ``upstream``."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.ledger = Ledger()
        # The wake-up events of the connections holding a Fetch now.
        self.holding: set[asyncio.Event] = set()

    def changed(self) -> None:
        """The ledger learned something: every held Fetch looks again."""
        for wake in self.holding:
            wake.set()

    async def serve(self, host: str, port: int) -> asyncio.Server:
        return await asyncio.start_server(self._accept, host, port, limit=1 << 20)

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream, limit=1 << 20)
        except OSError as exc:
            log.warning("the broker at %s:%d refused a connection: %r", *self.upstream, exc)
            self.ledger.forget()  # it restarted, or is restarting: what we knew is gone
            client_writer.close()
            return
        await _Connection(self, client_reader, client_writer, up_reader, up_writer).run()


class _Connection:
    def __init__(
        self,
        front: Front,
        client_reader: asyncio.StreamReader,
        client_writer: asyncio.StreamWriter,
        up_reader: asyncio.StreamReader,
        up_writer: asyncio.StreamWriter,
    ) -> None:
        self.front = front
        self.ledger = front.ledger
        self.client_reader, self.client_writer = client_reader, client_writer
        self.up_reader, self.up_writer = up_reader, up_writer
        self.queue: asyncio.Queue[tuple[bytes, float]] = asyncio.Queue()
        self.in_flight: deque[_InFlight] = deque()
        self.wake = asyncio.Event()

    async def run(self) -> None:
        tasks = [
            asyncio.create_task(self._receive()),
            asyncio.create_task(self._forward()),
            asyncio.create_task(self._answer()),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.error("a connection failed", exc_info=task.exception())
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for writer in (self.client_writer, self.up_writer):
                writer.close()
                with contextlib.suppress(Exception):
                    await writer.wait_closed()

    async def _receive(self) -> None:
        """Client to queue: read whole requests; ends when the client goes away."""
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, FrameError):
            while True:
                frame = await _read_frame(self.client_reader)
                self.queue.put_nowait((frame, time.monotonic()))
                self.wake.set()  # a held Fetch must not hold this request longer than the broker would

    async def _forward(self) -> None:
        """Queue to broker, in order; a Fetch with nothing to read waits here first."""
        with contextlib.suppress(ConnectionError):
            while True:
                frame, arrived = await self.queue.get()
                try:
                    h = frames.head(frame)
                except FrameError:
                    return  # not Kafka: drop the connection
                entry = _InFlight(h)
                if h.api_key == frames.FETCH:
                    frame = await self._fetch(frame, arrived)
                elif h.api_key == frames.PRODUCE:
                    entry.produce = self._produce(frame)
                elif h.api_key == frames.END_TXN:
                    # Committed records become visible to read_committed fetches only now.
                    self.ledger.forget()
                    self.front.changed()
                self.in_flight.append(entry)
                self.up_writer.write(_framed(frame))
                await self.up_writer.drain()

    def _produce(self, frame: bytes) -> ProduceAsk | None:
        try:
            ask = frames.produce_ask(frame)
        except FrameError as exc:
            log.debug("a Produce the front cannot read: %s", exc)
            self.ledger.forget()
            self.front.changed()
            return None
        if ask.acks == 0:  # no answer will tell where the records landed
            self.ledger.forget(set(ask.counts))
            self.front.changed()
        return ask

    async def _fetch(self, frame: bytes, arrived: float) -> bytes:
        try:
            ask = frames.fetch_ask(frame)
        except FrameError as exc:
            log.debug("a Fetch the front cannot read: %s", exc)
            return frame
        if self.ledger.has_news(ask):
            return frame
        deadline = arrived + ask.max_wait_ms / 1000
        self.front.holding.add(self.wake)
        try:
            while not self.ledger.has_news(ask) and self.queue.empty():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return frames.with_max_wait(frame, EXPIRED_WAIT_MS)
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), remaining)
        finally:
            self.front.holding.discard(self.wake)
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        return frames.with_max_wait(frame, max(remaining_ms, EXPIRED_WAIT_MS))

    async def _answer(self) -> None:
        """Broker to client, in order; learns partition ends on the way."""
        try:
            while True:
                answer = await _read_frame(self.up_reader)
                entry = self._entry_for(answer)
                if entry is not None:
                    self._learn(entry, answer)
                    self.client_writer.write(_framed(answer))
                    await self.client_writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, FrameError):
            if not self.client_reader.at_eof():
                # The broker dropped a live client: it stopped or restarted, and with it
                # (it keeps everything in memory) every partition the ledger knew.
                self.ledger.forget()
                self.front.changed()

    def _entry_for(self, answer: bytes) -> _InFlight | None:
        """The request ``answer`` answers; None for an answer the client does not expect."""
        cid = frames.correlation_id(answer)
        while self.in_flight:
            entry = self.in_flight.popleft()
            if entry.head.correlation_id == cid:
                # Tansu answers acks=0 Produces too; the client expects nothing.
                return entry if entry.answered else None
            if entry.answered:
                raise FrameError(f"answer {cid} came while {entry.head.correlation_id} was due")
        raise FrameError(f"answer {cid} to no request")

    def _learn(self, entry: _InFlight, answer: bytes) -> None:
        try:
            if entry.head.api_key == frames.PRODUCE:
                self._learn_written(entry.produce, frames.produced_base_offsets(answer, entry.head.api_version))
            elif entry.head.api_key == frames.FETCH:
                for (topic, partition), high in frames.fetched_high_watermarks(answer, entry.head.api_version).items():
                    self.ledger.read(topic, partition, high)
            elif entry.head.api_key == frames.METADATA:
                self.ledger.named(frames.metadata_topic_ids(answer, entry.head.api_version))
        except FrameError as exc:
            log.debug("an answer the front cannot read: %s", exc)
            if entry.head.api_key == frames.PRODUCE:
                self.ledger.forget()
                self.front.changed()

    def _learn_written(self, ask: ProduceAsk | None, bases: dict[Partition, int | None]) -> None:
        for partition, base in bases.items():
            count = ask.counts.get(partition) if ask is not None else None
            self.ledger.written(partition, None if base is None or count is None else base + count)
        if bases:
            self.front.changed()
