"""Benchmark: a class on the full local pipeline, and one learner's ``print`` through it.

    .venv/bin/python bench/classroom.py [--seconds 60] [--rates 5,10] [--sustain 15,20,25,30]

What `make run` starts (``learnflow up``, in a process of its own, as a learner would have
it) takes the simulator's mix for 200 learners (``learnflow simulate``'s sessions, in which
about one broken submission in ten is an endless loop) at a fixed rate of submissions per
second, with the mix's other events around them. Meanwhile:
1. a probe learner writes ``print('probe')`` to code-submitted every 2 s, timed from its
   write until its ``code.executed`` is on learning-events (the output record's timestamp,
   set when code execution published it, so no reader's fetch wait is counted): p50, p95,
   p99 and max at each rate of ``--rates``;
2. the same probe POSTed to the ``execute`` target (code-execution-direct, the same code
   and sandbox, no Kafka) 1 s after each, in the same run: the baseline;
3. the highest rate of the mix the pipeline sustains: each rate of ``--sustain`` for
   ``--seconds``, and the code-execution group's lag on code-submitted (from the stack's
   own /metrics, as Prometheus reads it) compared between the first and last third;
   next to the bound the endless loops set: their share of submissions times the CPU
   limit, in cores, against this machine's cores.
Goals (issue 23, 2 cores): probe p99 <= 250 ms at about 5/s and <= 1 s at about 10/s.
A benchmark, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from kafka import KafkaConsumer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learnflow.events import CodeSubmitted, Envelope, new_event
from learnflow.local._process import free_port, free_port_block
from learnflow.local._simulation import SUBMISSIONS, sessions
from learnflow.serverless import BrokerKind, Publisher, kafka_settings

PROBE = "print('probe')\n"
PROBE_EVERY = 2.0  # seconds between probes, as the issue sets it
CPU_LIMIT_S = 3  # the sandbox's SANDBOX_CPU_SECONDS default: what one endless loop burns
LOOP_CODE = dict((code, kind) for kind, code in SUBMISSIONS)


def pct(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    s = sorted(samples)

    def at(q: float) -> float:
        return s[min(len(s) - 1, int(q * len(s)))]

    return f"p50 {at(0.5):.0f} ms, p95 {at(0.95):.0f} ms, p99 {at(0.99):.0f} ms, max {s[-1]:.0f} ms (n={len(s)})"


class Stack:
    """``learnflow up`` as a child process on free ports, stopped by PID."""

    def __init__(self, logs: Path) -> None:
        self.broker_port = free_port()
        self.functions_port = free_port_block(5)
        self.metrics_port = free_port()
        self.log = logs / "up.log"
        argv = [
            str(Path(sys.executable).parent / "learnflow"),
            "up",
            f"--broker-port={self.broker_port}",
            "--ingress-port=0",
            f"--functions-port={self.functions_port}",
            f"--metrics-address=127.0.0.1:{self.metrics_port}",
            "--gateway-port=0",
            f"--log-dir={logs}",
        ]
        env = {k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"}
        self._out = self.log.open("w")
        self.proc = subprocess.Popen(argv, stdout=self._out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.direct_url = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = self.log.read_text()
            if "Ctrl-C stops everything" in text:
                match = re.search(r"function\s+code-execution-direct\s+(\S+)", text)
                assert match, text
                self.direct_url = match.group(1)
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"learnflow up exited:\n{text}")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"learnflow up did not start in 120 s:\n{self.log.read_text()}")

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.broker_port}"

    def lag(self, group: str, topic: str) -> int:
        """The group's lag on the topic, summed over partitions, as /metrics exports it."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as answer:
            text = answer.read().decode()
        total = 0.0
        for line in text.splitlines():
            if line.startswith("kafka_consumer_lag{") and f'consumer_group="{group}"' in line and f'topic="{topic}"' in line:
                total += float(line.rsplit(" ", 1)[1])
        return int(total)

    def family_cpu_percent(self, seconds: float) -> float:
        procs = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        for p in procs:
            p.cpu_percent(None)
        time.sleep(seconds)
        return sum(p.cpu_percent(None) for p in procs if p.is_running())

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, 2)  # Ctrl-C: learnflow up stops its children by PID
            self.proc.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self._out.close()


@dataclass
class Probes:
    """Pipeline probes: written at ``sent[id]``, answered at the code.executed record's timestamp."""

    sent: dict[str, float] = field(default_factory=dict)
    answered: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def latencies_ms(self, ids: list[str]) -> tuple[list[float], int]:
        with self.lock:
            got = [(self.answered[i] - self.sent[i]) * 1000 for i in ids if i in self.answered]
        return got, len(ids) - len(got)


def watch_results(bootstrap: str, probes: Probes, ready: threading.Event, stop: threading.Event) -> None:
    consumer = KafkaConsumer(
        "learning-events", bootstrap_servers=bootstrap, auto_offset_reset="latest", enable_auto_commit=False, group_id=None
    )
    try:
        consumer.poll(1000)  # find the end before the first probe is written
        ready.set()
        while not stop.is_set():
            for records in consumer.poll(200).values():
                for record in records:
                    doc = json.loads(record.value)
                    if doc.get("eventType") != "code.executed":
                        continue
                    sid = str(doc.get("data", {}).get("submissionId"))
                    with probes.lock:
                        if sid in probes.sent:
                            probes.answered[sid] = record.timestamp / 1000
    finally:
        consumer.close()


def class_load(publisher: Publisher, rate: float, stop: threading.Event, counts: dict[str, int]) -> None:
    """The simulator's mix, paced so that code.submitted events go out at ``rate`` per second."""
    events: Iterator[Envelope] = sessions(200, seed=23)
    start = time.monotonic()
    submitted = 0
    while not stop.is_set():
        event = next(events)
        publisher.publish(event)
        if isinstance(event, CodeSubmitted):
            submitted += 1
            kind = LOOP_CODE.get(event.data.code, "?")
            counts[kind] = counts.get(kind, 0) + 1
            delay = start + submitted / rate - time.monotonic()
            if delay > 0:
                stop.wait(delay)


def probe_loop(
    publisher: Publisher, direct_url: str, probes: Probes, ids: list[str], direct: list[float], stop: threading.Event
) -> None:
    learner = uuid.uuid4()
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            event = new_event(
                CodeSubmitted, user_id=learner, data={"exerciseId": uuid.uuid4(), "code": PROBE, "language": "python"}
            )
            with probes.lock:
                probes.sent[str(event.event_id)] = time.time()
            publisher.publish(event)
            ids.append(str(event.event_id))
            if stop.wait(PROBE_EVERY / 2):
                return
            other = new_event(
                CodeSubmitted, user_id=learner, data={"exerciseId": uuid.uuid4(), "code": PROBE, "language": "python"}
            )
            t0 = time.perf_counter()
            r = client.post(direct_url, content=other.to_json_bytes(), headers={"content-type": "application/json"})
            if r.status_code == 200:
                direct.append((time.perf_counter() - t0) * 1000)
            stop.wait(max(0.0, PROBE_EVERY / 2 - (time.perf_counter() - t0)))


@dataclass
class Phase:
    rate: float
    probe_ms: list[float]
    lost: int
    direct_ms: list[float]
    lag_samples: list[int]
    counts: dict[str, int]

    @property
    def sustained(self) -> bool:
        """Lag not growing: the last third's mean within two seconds' work of the first third's."""
        third = max(1, len(self.lag_samples) // 3)
        first, last = self.lag_samples[:third], self.lag_samples[-third:]
        return statistics.mean(last) <= statistics.mean(first) + 2 * self.rate


def phase(stack: Stack, probes: Probes, rate: float, seconds: float) -> Phase:
    settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=stack.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
    load_pub, probe_pub = Publisher("bench-class", settings=settings), Publisher("bench-probe", settings=settings)
    stop = threading.Event()
    counts: dict[str, int] = {}
    ids: list[str] = []
    direct: list[float] = []
    threads = [
        threading.Thread(target=class_load, args=(load_pub, rate, stop, counts), daemon=True),
        threading.Thread(target=probe_loop, args=(probe_pub, stack.direct_url, probes, ids, direct, stop), daemon=True),
    ]
    for t in threads:
        t.start()
    lags = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(5)
        lags.append(stack.lag("learnflow-code-execution", "code-submitted"))
    stop.set()
    for t in threads:
        t.join(60)
    load_pub.close()
    probe_pub.close()
    # Let the probes written last come back (or not) before counting them.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and probes.latencies_ms(ids)[1]:
        time.sleep(0.5)
    got, lost = probes.latencies_ms(ids)
    return Phase(rate, got, lost, direct, lags, counts)


def drain(stack: Stack, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and stack.lag("learnflow-code-execution", "code-submitted") > 0:
        time.sleep(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each rate")
    parser.add_argument("--rates", default="5,10", help="submissions/s at which the probe is reported")
    parser.add_argument("--sustain", default="15,20,25", help="further rates tried for the sustained maximum")
    args = parser.parse_args()
    cores = psutil.cpu_count() or 1
    print(f"load average before: {' '.join(f'{x:.1f}' for x in psutil.getloadavg())} ({cores} cores)")
    logs = Path(tempfile.mkdtemp(prefix="bench-classroom-"))
    stack = Stack(logs)
    probes = Probes()
    ready, stop_watch = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch_results, args=(stack.bootstrap, probes, ready, stop_watch), daemon=True)
    try:
        watcher.start()
        ready.wait(30)
        phases: list[Phase] = []
        rates = [float(r) for r in args.rates.split(",") if r]
        sustain = [float(r) for r in args.sustain.split(",") if r]
        print(f"200 learners, the simulator's mix; probe print('probe') every {PROBE_EVERY:.0f} s; {args.seconds:.0f} s a rate")
        for rate in rates + sustain:
            result = phase(stack, probes, rate, args.seconds)
            phases.append(result)
            submitted = sum(result.counts.values())
            loops = result.counts.get("timeout", 0)
            share = loops / submitted if submitted else 0.0
            print(f"  {rate:g} submissions/s ({submitted} sent, {share:.1%} endless loops)")
            print(f"    pipeline probe, write -> code.executed: {pct(result.probe_ms)}; lost {result.lost}")
            print(f"    direct execute (baseline):              {pct(result.direct_ms)}")
            print(f"    code-submitted lag every 5 s: {result.lag_samples} -> {'sustained' if result.sustained else 'GROWING'}")
            if rate in sustain and not result.sustained:
                break
            drain(stack)
        sent = {k: sum(p.counts.get(k, 0) for p in phases) for p in phases for k in p.counts}
        total = sum(sent.values())
        share = sent.get("timeout", 0) / total if total else 0.0
        held = [p.rate for p in phases if p.sustained]
        print(f"highest rate sustained: {max(held):g} submissions/s" if held else "no rate sustained")
        if share:
            print(
                f"endless loops: {share:.1%} of submissions x {CPU_LIMIT_S} CPU-s each = {share * CPU_LIMIT_S:.3f} core-s per "
                f"submission; {cores} cores bound the mix at {cores / (share * CPU_LIMIT_S):.1f} submissions/s"
            )
    finally:
        stop_watch.set()
        watcher.join(5)
        stack.stop()


if __name__ == "__main__":
    main()
