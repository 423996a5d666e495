"""Benchmark: learning-events -> triage -> struggle-detected through the local dispatcher,
against the triage function's own throughput under direct HTTP load.

    .venv/bin/python bench/pipeline.py [--events 3000] [--rate 200] [--seconds 10] [--transports http.client,httpx]

In one run, so machine noise hits all alike:
1. direct: binary CloudEvents POSTed straight to triage under functions-framework by
   3 clients (one per partition: the parallelism an ordered KafkaSource has), events/s;
2. pipeline at saturation: the same number of events produced to learning-events first,
   then drained by the dispatcher of eventing/'s triage KafkaSource, events/s from the
   first record taken (after the group join) until the last struggle.detected is on its topic;
3. pipeline at a fixed 200 events/s, after a warm-up: end-to-end latency from the input record's append
   to the output record's append (both broker timestamps of one machine), p50/p99.
Every input is an exercise.completed with many attempts, so every one yields a
struggle.detected. Goals (issue 6, 2 cores): pipeline >= 0.8x direct; p99 <= 50 ms.
Steps 2 and 3 run once per dispatcher transport named in ``--transports``, in that order
(the later series reads a longer output topic, which costs the embedded broker a little more).
A benchmark, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from kafka import KafkaConsumer, TopicPartition

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learnflow.events import ExerciseCompleted, all_topic_partitions, new_event, to_binary_http, to_cloudevent, to_record
from learnflow.local._admin import ensure_topics
from learnflow.local._broker import EmbeddedBroker
from learnflow.local._function_server import FunctionServer
from learnflow.local.manifests import load_eventing
from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.transport import (
    HttpAnswer,
    KeepAliveTransport,
    Transport,
    TransportConnectionError,
    TransportTimeout,
)
from learnflow.serverless import BrokerKind, KafkaSettings, Publisher, kafka_settings

ROOT = Path(__file__).resolve().parents[1]
PARTITIONS = 3


class HttpxTransport:
    """The dispatcher's transport on httpx: one ``httpx.Client`` per worker thread, kept alive.

    Kept here, not in the library, to measure against the ``http.client`` transport the
    dispatcher uses (why that one: learnflow/local/runtime/transport.py).
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._clients: list[httpx.Client] = []
        self._lock = threading.Lock()

    def _client(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None or client.is_closed:
            client = self._local.client = httpx.Client(trust_env=False)
            with self._lock:
                self._clients.append(client)
        return client

    def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> HttpAnswer:
        try:
            response = self._client().post(url, headers=headers, content=body, timeout=timeout)
        except httpx.TimeoutException as exc:
            raise TransportTimeout(f"no answer within {timeout:g} s") from exc
        except httpx.TransportError as exc:
            raise TransportConnectionError(f"{type(exc).__name__}: {exc}") from exc
        return HttpAnswer(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)

    def close(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()


TRANSPORTS: dict[str, Callable[[], Transport]] = {"http.client": KeepAliveTransport, "httpx": HttpxTransport}


def struggling(i: int) -> ExerciseCompleted:
    user = uuid.UUID(int=i + 1, version=4)
    return new_event(ExerciseCompleted, user_id=user, data={"exerciseId": str(uuid.uuid4()), "duration": 900, "attempts": 7})


def direct(url: str, n: int) -> float:
    events = [struggling(i) for i in range(n)]
    with httpx.Client() as client:
        for e in events[:50]:  # warm-up
            client.post(url, headers=to_binary_http(to_cloudevent(e, "/bench"))[0], content=e.to_json_bytes())
        started = time.perf_counter()
        with ThreadPoolExecutor(PARTITIONS) as pool:

            def post(e: ExerciseCompleted) -> None:
                headers, body = to_binary_http(to_cloudevent(e, "/bench"))
                assert client.post(url, headers=headers, content=body).status_code == 200

            list(pool.map(post, events))
        return n / (time.perf_counter() - started)


class OutputWatcher:
    """Follows struggle-detected from its current end: output append times by learner."""

    def __init__(self, settings: KafkaSettings) -> None:
        self.consumer = KafkaConsumer(**settings.consumer_config(None))
        self.tps = [TopicPartition("struggle-detected", p) for p in range(PARTITIONS)]
        self.consumer.assign(self.tps)
        self.seen: dict[bytes, int] = {}
        self._catch_up()

    def _catch_up(self) -> None:
        # The end comes from the fetch high watermark (ListOffsets is wrong on Tansu).
        while True:
            self.poll_once()
            highs = [self.consumer.highwater(tp) for tp in self.tps]
            if all(h is not None and self.consumer.position(tp) >= h for tp, h in zip(self.tps, highs, strict=True)):
                break
        self.seen.clear()

    def poll_once(self) -> None:
        for batch in self.consumer.poll(timeout_ms=20).values():
            for r in batch:
                self.seen[r.key] = r.timestamp

    def wait_for_keys(self, keys: set[bytes], timeout: float) -> set[bytes]:
        end = time.monotonic() + timeout
        while not keys <= self.seen.keys() and time.monotonic() < end:
            self.poll_once()
        return keys & self.seen.keys()

    def wait_count(self, n: int, timeout: float) -> float:
        end = time.monotonic() + timeout
        while len(self.seen) < n and time.monotonic() < end:
            self.poll_once()
        return time.monotonic()

    def close(self) -> None:
        self.consumer.close()


DispatcherFactory = Callable[[str], Dispatcher]


def fresh_input(settings: KafkaSettings) -> str:
    """A new topic with learning-events' shape: each phase starts with nothing queued."""
    topic = f"learning-events-bench-{uuid.uuid4().hex[:8]}"
    ensure_topics(settings, {topic: PARTITIONS})
    return topic


def saturation(settings: KafkaSettings, new_dispatcher: DispatcherFactory, n: int, offset: int) -> tuple[float, float]:
    """Produce a backlog of n events, then time the dispatcher draining it: events/s, and
    the CPU ms this process (the dispatcher, all but idle here) spent per event. The
    second figure hardly moves with the machine's load, the first does."""
    topic = fresh_input(settings)
    publisher = Publisher("bench", settings=settings)
    for i in range(n):
        publisher.send_record(topic, to_record(struggling(offset + i), "/bench"))
    publisher.close()
    watcher = OutputWatcher(settings)
    dispatcher = new_dispatcher(topic).start()
    # The clock starts with the first record taken: the group join before it (about 1 s on
    # the embedded broker, twice that when it runs a second rebalance) is start-up, not
    # throughput, and its variance alone moved the ratio by 0.2 between runs.
    deadline = time.monotonic() + 600
    while dispatcher.stats.received == 0 and time.monotonic() < deadline:
        time.sleep(0.001)
    started, cpu_started = time.monotonic(), time.process_time()
    # A 2xx from triage means its struggle.detected is acknowledged on the topic, so the
    # dispatcher's count times the pipeline without a reader competing for the CPU.
    while dispatcher.stats.delivered < n and time.monotonic() < deadline:
        time.sleep(0.01)
    finished, cpu_finished = time.monotonic(), time.process_time()
    dispatcher.stop()
    outputs = len(watcher.wait_for_keys({struggling(offset + i).key for i in range(n)}, timeout=30))
    watcher.close()
    if outputs != n:
        raise SystemExit(f"saturation: {outputs} of {n} outputs reached struggle-detected")
    return n / (finished - started), (cpu_finished - cpu_started) * 1000 / n


def latency_at(
    settings: KafkaSettings, new_dispatcher: DispatcherFactory, rate: float, seconds: float, offset: int, warmup: float
) -> list[float]:
    """Produce at a fixed rate into a running pipeline; input-to-output append times in ms.

    The first ``warmup`` seconds of traffic are not measured: right after a group joins,
    the embedded broker may run one more rebalance, a one-off stall of a few hundred ms.
    """
    topic = fresh_input(settings)
    dispatcher = new_dispatcher(topic).start()
    watcher = OutputWatcher(settings)
    publisher = Publisher("bench", settings=settings)
    publisher.send_record(topic, to_record(struggling(offset - 1), "/bench"))  # out once the group joined
    watcher.wait_count(1, timeout=30)
    watcher.seen.clear()
    stop = threading.Event()
    thread = threading.Thread(target=lambda: [watcher.poll_once() for _ in iter(stop.is_set, True)], daemon=True)
    thread.start()
    sent: dict[bytes, float] = {}
    skip = int(rate * warmup)
    n = int(rate * seconds) + skip
    start = time.monotonic()
    for i in range(n):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        event = struggling(offset + i)
        sent[event.key] = time.time() * 1000  # the producer stamps CreateTime at send, as here
        publisher.send_record(topic, to_record(event, "/bench"))
    deadline = time.monotonic() + 30
    while len(watcher.seen) < n and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    thread.join()
    publisher.close()
    dispatcher.stop()
    watcher.close()
    measured = list(sent.items())[skip:]
    return [watcher.seen[k] - t for k, t in measured if k in watcher.seen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds at --rate")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds at --rate first")
    parser.add_argument(
        "--transports", default=",".join(TRANSPORTS), help=f"the dispatcher's HTTP clients to measure, of {', '.join(TRANSPORTS)}"
    )
    args = parser.parse_args()
    names = args.transports.split(",")
    if not set(names) <= TRANSPORTS.keys():
        parser.error(f"--transports: choose from {', '.join(TRANSPORTS)}")
    logs = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    results: dict[str, tuple[float, float, list[float]]] = {}
    with EmbeddedBroker(log_path=logs / "broker.log") as broker:
        settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
        ensure_topics(settings, all_topic_partitions())
        env = {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "KAFKA_BROKER_KIND": "embedded"}
        with FunctionServer("triage", env=env, log_path=logs / "triage.log") as triage:
            source = load_eventing(ROOT).sources["triage"]
            dead_letters = SinkWriter(source.delivery.dead_letter_sink, Publisher("bench-dlq", settings=settings))
            direct_rate = direct(triage.url, args.events)
            for k, name in enumerate(names):

                def new_dispatcher(topic: str, name: str = name) -> Dispatcher:
                    # eventing/'s triage KafkaSource (delivery, ordering) on the phase's own topic.
                    moved = dataclasses.replace(source, topics=(topic,), consumer_group=f"g-{topic}")
                    return Dispatcher(moved, triage.url, settings, dead_letters, transport=TRANSPORTS[name]())

                sat, cpu = saturation(settings, new_dispatcher, args.events, 1_000_000 + 10_000_000 * k)
                lat = latency_at(settings, new_dispatcher, args.rate, args.seconds, 2_000_000 + 10_000_000 * k, args.warmup)
                results[name] = (sat, cpu, lat)
    print(f"direct HTTP to triage (3 clients):   {direct_rate:8.1f} events/s")
    for name, (sat, cpu, lat) in results.items():
        q = statistics.quantiles(lat, n=100) if len(lat) > 2 else [float("nan")] * 99
        print(f"dispatcher transport: {name}")
        print(f"  pipeline at saturation:            {sat:8.1f} events/s   ratio {sat / direct_rate:.2f}x direct (goal >= 0.8x)")
        print(f"  dispatcher CPU at saturation:      {cpu:8.2f} ms per event")
        print(f"  pipeline at {args.rate:g} events/s, {len(lat)} of {int(args.rate * args.seconds)} measured:")
        print(f"    end-to-end p50 {statistics.median(lat):6.1f} ms   p99 {q[98]:6.1f} ms   (goal p99 <= 50 ms)")


if __name__ == "__main__":
    main()
