"""Benchmark: the learner gateway on the full local pipeline (what `make run` starts), 2 cores.

    .venv/bin/python bench/gateway.py [--seconds 15] [--idle-streams 1000] [--fanout-samples 100]

In one run, so machine noise hits all alike:
1. submission -> code.executed on the learner's stream (POST to the gateway, through
   code-submitted, the dispatcher, code execution, learning-events and the gateway's reader
   back to an open SSE stream), p50/p99 at 20 and at 50 submissions/s, against the
   ``execute`` target's direct HTTP answer (code-execution-direct) at the same rates;
2. submission of buggy code -> help.explanation on the stream (adds triage and concepts);
3. 1,000 idle streams on one gateway process: its RSS and CPU at idle, and the fan-out
   latency of one event (written to Kafka) reaching one learner among the 1,000;
4. the reader's cost per record, which every replica pays for every record of both topics.
Goals (issue 13): p50 <= 30 ms and p99 <= 150 ms at 50/s. Submissions are open-loop (sent
on schedule, not after the previous answer), from 50 learners each holding a stream.
A benchmark, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learnflow.events import CodeSubmitted, new_event, to_record
from learnflow.gateway import mint_token, stream_event
from learnflow.local._process import free_port, free_port_block
from learnflow.local.runtime.stack import LocalStack, StackOptions
from learnflow.serverless import Publisher
from tests.support.learner_events import code_executed, exercise_started
from tests.support.sse import SseParser

GOOD = "total = 0\nfor n in range(1, 101):\n    if n % 2 == 0:\n        total += n\nprint(total)\n"
BUGGY = "squares = [x * x for x in range(10)\nprint(squares)\n"


def pct(samples: list[float]) -> str:
    if len(samples) < 2:
        return f"n={len(samples)}"
    q = statistics.quantiles(samples, n=100)
    return f"p50 {statistics.median(samples):7.1f} ms  p99 {q[98]:7.1f} ms  (n={len(samples)})"


class Streams:
    """Many SSE streams over raw asyncio sockets; arrival times by learner and event."""

    def __init__(self, host: str, port: int, key: str) -> None:
        self.host, self.port, self.key = host, port, key
        self.arrivals: dict[tuple[str, str], float] = {}  # (kind, id) -> perf_counter
        self.waiters: dict[tuple[str, str], asyncio.Future[float]] = {}
        self.tasks: list[asyncio.Task[None]] = []

    def token(self, learner: uuid.UUID) -> str:
        return mint_token(learner, self.key, now=time.time(), ttl_s=3600)

    async def open(self, learner: uuid.UUID) -> None:
        opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.tasks.append(asyncio.create_task(self._run(learner, opened)))
        await opened

    async def _run(self, learner: uuid.UUID, opened: asyncio.Future[None]) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write(
            (
                f"GET /learners/{learner}/events HTTP/1.1\r\nHost: {self.host}\r\nAccept: text/event-stream\r\n"
                f"Authorization: Bearer {self.token(learner)}\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = await reader.readline()
        assert b" 200 " in status, status
        while (await reader.readline()).strip():
            pass
        parser = SseParser()
        try:
            while True:
                size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    return
                chunk = await reader.readexactly(size)
                await reader.readline()
                now = time.perf_counter()
                if not opened.done():
                    opened.set_result(None)
                for message in parser.feed(chunk.decode()):
                    self._arrived(message.event, json.loads(message.data), str(learner), now)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            return
        finally:
            writer.close()

    def _arrived(self, kind: str, doc: dict, learner: str, now: float) -> None:
        key = (kind, doc["data"]["submissionId"] if kind == "code.executed" else learner)
        self.arrivals.setdefault(key, now)
        waiter = self.waiters.get(key)
        if waiter is not None and not waiter.done():
            waiter.set_result(now)

    async def wait(self, key: tuple[str, str], timeout: float = 60.0) -> float:
        if key in self.arrivals:
            return self.arrivals[key]
        waiter = self.waiters.setdefault(key, asyncio.get_running_loop().create_future())
        return await asyncio.wait_for(waiter, timeout)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def open_loop(rate: float, seconds: float, send: Callable[[int], Awaitable[float | None]]) -> list[float]:
    """Call ``send(i)`` at ``rate``/s for ``seconds``; the latencies it returns, in ms."""
    start, n = time.perf_counter(), int(rate * seconds)
    tasks = []
    for i in range(n):
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(send(i)))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        print(f"    {len(failed)} of {n} did not complete: {failed[0]!r}")
    return [r * 1000 for r in results if isinstance(r, float)]


async def pipeline(
    gateway: httpx.AsyncClient,
    streams: Streams,
    learners: list[uuid.UUID],
    code: str,
    kind: str,
    rate: float,
    seconds: float,
    accepted: list[float] | None = None,
) -> list[float]:
    """End-to-end latencies in ms; ``accepted`` collects the POST's own (its 202 waits for Kafka's ack)."""

    async def send(i: int) -> float:
        learner = learners[i % len(learners)]
        body = {"exerciseId": str(uuid.uuid4()), "code": code, "language": "python"}
        t0 = time.perf_counter()
        r = await gateway.post(
            f"/learners/{learner}/submissions", json=body, headers={"Authorization": f"Bearer {streams.token(learner)}"}
        )
        assert r.status_code == 202, r.text
        if accepted is not None:
            accepted.append((time.perf_counter() - t0) * 1000)
        key = (kind, r.json()["eventId"] if kind == "code.executed" else str(learner))
        return await streams.wait(key) - t0

    return await open_loop(rate, seconds, send)


async def direct(url: str, rate: float, seconds: float) -> list[float]:
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=200)) as client:

        async def send(i: int) -> float:
            event = new_event(
                CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "code": GOOD, "language": "python"}
            )
            t0 = time.perf_counter()
            r = await client.post(url, content=event.to_json_bytes(), headers={"content-type": "application/json"})
            assert r.status_code == 200, r.text
            return time.perf_counter() - t0

        return await open_loop(rate, seconds, send)


async def idle_streams(stack: LocalStack, key: str, count: int, samples: int) -> None:
    assert stack.gateway is not None and stack.gateway.pid is not None and stack.settings is not None
    proc = psutil.Process(stack.gateway.pid)
    rss_before = proc.memory_info().rss
    streams = Streams("127.0.0.1", stack.gateway.port, key)
    learners = [uuid.uuid4() for _ in range(count)]
    t0 = time.perf_counter()
    for batch in range(0, count, 100):
        await asyncio.gather(*(streams.open(u) for u in learners[batch : batch + 100]))
    opened_s = time.perf_counter() - t0
    await asyncio.sleep(5)  # let the opening settle before measuring idleness
    cpu = await asyncio.to_thread(proc.cpu_percent, 10.0)
    rss = proc.memory_info().rss
    print(
        f"  {count} idle streams opened in {opened_s:.1f} s; gateway RSS {rss / 2**20:.0f} MiB "
        f"({(rss - rss_before) / count / 1024:.1f} KiB per stream), CPU at idle {cpu:.1f} % of one core over 10 s"
    )
    publisher = Publisher("bench", settings=stack.settings)
    latencies, acks = [], []
    try:
        for _ in range(samples):
            event = code_executed(random.choice(learners))
            t = time.perf_counter()
            await asyncio.to_thread(publisher.publish, event)
            acks.append((time.perf_counter() - t) * 1000)
            latencies.append((await streams.wait(("code.executed", str(event.data.submission_id)))) - t)
    finally:
        publisher.close()
        await streams.close()
    print(f"  fan-out, one event to one of {count} learners (Kafka write to SSE arrival): {pct([x * 1000 for x in latencies])}")
    print(f"    of which the write's own acknowledgement (kafka-python, acks=all):      {pct(acks)}")


def reader_cost() -> None:
    learner = uuid.uuid4()
    streamed = to_record(code_executed(learner, stdout="x" * 200), "/learnflow/code-execution")
    skipped = to_record(exercise_started(learner), "/learnflow/frontend")
    for name, record in (
        ("code.executed (validated, sent on)", streamed),
        ("exercise.started (dropped by its ce_type)", skipped),
    ):
        n = 20000
        t = time.perf_counter()
        for i in range(n):
            stream_event(0, 0, i, 0, record)
        us = (time.perf_counter() - t) / n * 1e6
        print(f"  {name:44} {us:6.1f} us/record -> {1e6 / us:8.0f} records/s per core")


async def run(args: argparse.Namespace) -> None:
    print(f"load average before: {' '.join(f'{x:.1f}' for x in psutil.getloadavg())} (2 cores)")
    # 50 learners at up to 1 submission a second each, on purpose: lift the per-learner
    # bounds (README, "Limits per learner") for this gateway, which inherits the environment.
    os.environ.setdefault("LEARNFLOW_GATEWAY_MAX_PER_MINUTE", "100000")
    os.environ.setdefault("LEARNFLOW_GATEWAY_MAX_IN_FLIGHT", "1000")
    logs = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    options = StackOptions(
        broker_port=free_port(),
        ingress_port=0,
        functions_port=free_port_block(5),
        metrics_address="127.0.0.1:0",
        traces_address="127.0.0.1:0",
        log_dir=logs,
        gateway_port=0,
    )
    stack = LocalStack(options).start()
    try:
        assert stack.gateway is not None
        key = stack.gateway.env["LEARNFLOW_GATEWAY_JWT_KEY"]
        streams = Streams("127.0.0.1", stack.gateway.port, key)
        learners = [uuid.uuid4() for _ in range(50)]
        await asyncio.gather(*(streams.open(u) for u in learners))
        direct_url = stack.functions["code-execution-direct"].server.url
        async with httpx.AsyncClient(base_url=stack.gateway.url, timeout=60, limits=httpx.Limits(max_connections=200)) as gateway:
            await pipeline(gateway, streams, learners, GOOD, "code.executed", 10, 3)  # warm-up
            await direct(direct_url, 10, 2)
            print("1. submission -> code.executed on the stream, against the execute target's direct answer")
            for rate in (20, 50):
                accepted: list[float] = []
                via = await pipeline(gateway, streams, learners, GOOD, "code.executed", rate, args.seconds, accepted)
                base = await direct(direct_url, rate, args.seconds)
                ratio = statistics.median(via) / statistics.median(base) if via and base else float("nan")
                print(f"  {rate}/s  gateway+Kafka {pct(via)}")
                print(f"  {rate}/s    of which the POST's 202 (publish acked) {pct(accepted)}")
                print(f"  {rate}/s  direct HTTP   {pct(base)}   p50 ratio {ratio:.1f}x")
            print("2. buggy submission -> help.explanation on the stream (5/s, one per learner)")
            fresh = [uuid.uuid4() for _ in range(int(5 * args.seconds))]
            await asyncio.gather(*(streams.open(u) for u in fresh))
            helped = await pipeline(gateway, streams, fresh, BUGGY, "help.explanation", 5, args.seconds)
            print(f"  {pct(helped)}")
        await streams.close()
        print(f"3. {args.idle_streams} idle streams on one gateway process")
        await idle_streams(stack, key, args.idle_streams, args.fanout_samples)
        print("4. the gateway's reader, per record of learning-events or proactive-help (every replica reads all)")
        reader_cost()
    finally:
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each measured rate")
    parser.add_argument("--idle-streams", type=int, default=1000)
    parser.add_argument("--fanout-samples", type=int, default=100)
    args = parser.parse_args()
    # 1,000 streams are 1,000 sockets here and in the gateway (which inherits this limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
