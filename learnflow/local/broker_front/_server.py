"""The front's sockets: one upstream connection per client connection, requests in order.

Each request is forwarded unchanged, in the order it came, on its connection's own upstream
connection, and the broker's answers are relayed as they come; so answers keep request
order, as the protocol requires. The exception is a Fetch with nothing to read (per the
ledger): it is held, and the requests behind it with it, until

- a Produce answer moves one of its partitions' ends past the offset asked for (or the
  ledger loses track of it): forwarded with the rest of its wait, so that the broker
  answers at once as the records are there;
- the client's own wait has run out: forwarded with a short wait (Tansu answers nothing
  at all to a wait of 0), so the client gets its empty answer on time;
- a Produce arrives behind it on the same connection, which could not pass to wake it:
  forwarded with the short wait, answered empty at once, and the Produce goes through.

A Fetch asking for more than one byte (min_bytes) is held until its wait runs out (or a
Produce comes behind it) whatever the ledger says, then forwarded with the short wait:
Tansu sometimes answers a long wait with nothing though a record came during it.

Other requests behind a held Fetch wait for it, as on Apache Kafka, which reads a
connection's next request only once it has answered the one before.

A Fetch for a partition the ledger does not know yet is first sent with the short wait, as
a probe: an answer with records (or an error) goes to the client; an empty one only tells
the ledger where the partitions end, and the Fetch is then held as above. Forwarding with
the rest of the wait is always safe: the broker then waits as it would have without the
front, only without its early wake-up. A client's own wait under the short one is raised to
it, since Tansu answers a wait of 0 with no records even when there are some.
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
from learnflow.local.broker_front._frames import FetchAsk, FrameError, ProduceAsk, RequestHead
from learnflow.local.broker_front._ledger import Ledger, Outlook

log = logging.getLogger(__name__)

# The wait of a probe, and of a held Fetch whose own wait is used up. Tansu reads every asked
# partition once and answers; with 0 it skips the read and lists no topics at all.
SHORT_WAIT_MS = 10
# Larger than any frame Tansu or a client sends (Tansu caps a fetch at 5 MiB); a size beyond
# it is a broken stream, not a request.
MAX_FRAME_BYTES = 256 * 1024 * 1024
_RECONNECT_S = 0.2


@dataclass
class _InFlight:
    """A request forwarded and not yet answered."""

    head: RequestHead
    produce: ProduceAsk | None = None
    # A probe: its answer goes to the client only if it says something; the future says whether it did.
    probe: FetchAsk | None = None
    relayed: asyncio.Future[bool] | None = None

    @property
    def answered(self) -> bool:
        return self.produce is None or self.produce.acks != 0


async def _read_frame(reader: asyncio.StreamReader) -> bytes:
    (size,) = struct.unpack(">i", await reader.readexactly(4))
    if not 0 <= size <= MAX_FRAME_BYTES:
        raise FrameError(f"a frame of {size} bytes")
    return await reader.readexactly(size)


def _settle(future: asyncio.Future[bool], value: bool) -> None:
    if not future.done():  # cancelled with its connection
        future.set_result(value)


def _framed(frame: bytes) -> bytes:
    return struct.pack(">i", len(frame)) + frame


class Front:
    """Accepts clients and relays them to the broker at ``upstream``."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.ledger = Ledger()
        # The wake-up events of the connections holding a Fetch now.
        self.holding: set[asyncio.Event] = set()
        self._watch: asyncio.Task[None] | None = None

    def changed(self) -> None:
        """The ledger learned something: every held Fetch looks again."""
        for wake in self.holding:
            wake.set()

    def broker_lost(self) -> None:
        """The broker went away: it keeps everything in memory, so what the ledger knew is gone."""
        self.ledger.forget()
        self.changed()

    async def serve(self, host: str, port: int) -> asyncio.Server:
        self._watch = asyncio.create_task(self._watch_broker(), name="broker-front-watch")
        return await asyncio.start_server(self._accept, host, port, limit=1 << 20)

    async def _watch_broker(self) -> None:
        """Keep one idle connection to the broker: when it drops, the broker restarted."""
        while True:
            try:
                reader, writer = await asyncio.open_connection(*self.upstream)
            except OSError:
                await asyncio.sleep(_RECONNECT_S)
                continue
            with contextlib.suppress(OSError):
                await reader.read()  # the broker sends nothing unasked: this returns at its end
            writer.close()
            self.broker_lost()
            await asyncio.sleep(_RECONNECT_S)

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream, limit=1 << 20)
        except OSError as exc:
            log.warning("the broker at %s:%d refused a connection: %r", *self.upstream, exc)
            self.broker_lost()
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
        # Requests read and not yet forwarded, with when each arrived.
        self.pending: deque[tuple[RequestHead, bytes, float]] = deque()
        self.arrived = asyncio.Event()
        self.in_flight: deque[_InFlight] = deque()
        self.wake = asyncio.Event()

    async def run(self) -> None:
        tasks = [asyncio.create_task(c) for c in (self._receive(), self._forward(), self._answer())]
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
        """Client to ``pending``: whole requests; ends when the client goes away (or is not Kafka)."""
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, FrameError):
            while True:
                frame = await _read_frame(self.client_reader)
                self.pending.append((frames.head(frame), frame, time.monotonic()))
                self.arrived.set()
                self.wake.set()  # a held Fetch looks at what came behind it

    async def _forward(self) -> None:
        """``pending`` to the broker, in order; a Fetch with nothing to read waits here first."""
        with contextlib.suppress(ConnectionError):
            while True:
                while not self.pending:
                    self.arrived.clear()
                    await self.arrived.wait()
                head, frame, arrived = self.pending.popleft()
                entry = _InFlight(head)
                if head.api_key == frames.FETCH:
                    held = await self._fetch(head, frame, arrived)
                    if held is None:
                        continue  # a probe answered it
                    frame = held
                elif head.api_key == frames.PRODUCE:
                    entry.produce = self._produce(frame)
                elif head.api_key == frames.END_TXN:
                    # Committed records become visible to read_committed fetches only now.
                    self.front.broker_lost()
                await self._send(entry, frame)

    async def _send(self, entry: _InFlight, frame: bytes) -> None:
        self.in_flight.append(entry)  # before the write: the answer may come back at once
        self.up_writer.write(_framed(frame))
        await self.up_writer.drain()

    def _produce(self, frame: bytes) -> ProduceAsk | None:
        try:
            ask = frames.produce_ask(frame)
        except FrameError as exc:
            log.debug("a Produce the front cannot read: %s", exc)
            self.front.broker_lost()
            return None
        if ask.acks == 0:  # no answer will tell where the records landed
            self.ledger.forget(set(ask.counts))
            self.front.changed()
        return ask

    async def _fetch(self, head: RequestHead, frame: bytes, arrived: float) -> bytes | None:
        """The Fetch to forward, its wait rewritten if it was held; None if a probe answered it."""
        try:
            ask = frames.fetch_ask(frame)
        except FrameError as exc:
            log.debug("a Fetch the front cannot read: %s", exc)
            return frame
        outlook = self.ledger.outlook(ask)
        if outlook is Outlook.UNKNOWN:
            relayed = asyncio.get_running_loop().create_future()
            await self._send(_InFlight(head, probe=ask, relayed=relayed), frames.with_max_wait(frame, SHORT_WAIT_MS))
            if await relayed:
                return None
            outlook = self.ledger.outlook(ask)
        # A Fetch for more than a byte is the front's to hold for its whole wait: Tansu, given
        # a wait and a record written during it, sometimes answers that wait with no records
        # (5 fetches of 12, measured without the front); a short wait it answers with what
        # there is. So such a Fetch is answered at its wait, never early when its bytes are
        # there as on Kafka: within the protocol, and no client of ours asks for more than one.
        whole_wait = ask.min_bytes > 1
        if outlook is not Outlook.QUIET and not whole_wait:
            # Tansu answers a wait of 0 with no topics at all, records or not; Kafka with what it has.
            return frame if ask.max_wait_ms >= SHORT_WAIT_MS else frames.with_max_wait(frame, SHORT_WAIT_MS)
        deadline = arrived + ask.max_wait_ms / 1000
        self.front.holding.add(self.wake)
        try:
            while whole_wait or self.ledger.outlook(ask) is Outlook.QUIET:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._producing():
                    return frames.with_max_wait(frame, SHORT_WAIT_MS)
                self.wake.clear()
                # Not wait_for: it wraps the wait in a task of its own, which takes two more
                # turns of the loop to resume this one once the wake-up comes.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self.wake.wait()
        finally:
            self.front.holding.discard(self.wake)
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        return frames.with_max_wait(frame, max(remaining_ms, SHORT_WAIT_MS))

    def _producing(self) -> bool:
        """A Produce waits behind the held Fetch: the write that would wake it cannot pass."""
        return any(h.api_key == frames.PRODUCE for h, _, _ in self.pending)

    async def _answer(self) -> None:
        """Broker to client, in order; learns partition ends on the way."""
        try:
            while True:
                answer = await _read_frame(self.up_reader)
                entry = self._entry_for(answer)
                if entry is not None and self._learn(entry, answer):
                    if entry.produce is not None and self.front.holding:
                        # The Fetches this write woke go to the broker first: a consumer's
                        # record is on a submission's path, the producer's answer is not.
                        await asyncio.sleep(0)
                    self.client_writer.write(_framed(answer))
                    await self.client_writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, FrameError):
            if not self.client_reader.at_eof():
                self.front.broker_lost()  # it dropped a live client: it stopped or restarted

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

    def _learn(self, entry: _InFlight, answer: bytes) -> bool:
        """Note what ``answer`` says; whether it goes to the client (all but an empty probe's do)."""
        api, version = entry.head.api_key, entry.head.api_version
        try:
            if api == frames.PRODUCE:
                self._learn_written(entry.produce, frames.produced_base_offsets(answer, version))
            elif api == frames.FETCH:
                got = frames.fetched(answer, version)
                for (topic, partition), high in got.high_watermarks.items():
                    self.ledger.read(topic, partition, high)
                if entry.relayed is not None and entry.probe is not None:
                    relay = got.failed or got.record_bytes >= max(entry.probe.min_bytes, 1)
                    _settle(entry.relayed, relay)
                    return relay
            elif api == frames.METADATA:
                self.ledger.named(frames.metadata_topic_ids(answer, version))
        except FrameError as exc:
            log.debug("an answer the front cannot read: %s", exc)
            if api == frames.PRODUCE:
                self.front.broker_lost()
            if entry.relayed is not None:
                _settle(entry.relayed, True)
        return True

    def _learn_written(self, ask: ProduceAsk | None, bases: dict[tuple[str, int], int | None]) -> None:
        for partition, base in bases.items():
            count = ask.counts.get(partition) if ask is not None else None
            self.ledger.written(partition, None if base is None or count is None else base + count)
        if bases:
            self.front.changed()
