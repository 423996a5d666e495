"""Benchmark: what `learnflow up` costs doing nothing, and how late a first event is on it.

    .venv/bin/python bench/quiet_stack.py [--idle-seconds 60] [--probes 50]

Starts `learnflow up` (embedded broker) as a child process, then:
1. idle: CPU of the whole process family (the command, the broker and everything it
   started) over ``--idle-seconds`` once the stack is up, in % of one core, and their RSS;
2. first event on a quiet stack: a trivial submission written to code-submitted, until its
   code.executed is read from learning-events by a kafka-python consumer with a fixed
   500 ms fetch wait (Kafka's default), p50/p99 over ``--probes`` probes, 0.5 to 1.5 s
   of quiet before each, so every probe meets an idle stack.
Goals (issue 26): idle <= 5 % of one core; first event no worse than before the front.
The machine may be shared: figures are noisy. A benchmark, not a test: prints and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from learnflow.events import CodeSubmitted, new_event, to_record
from learnflow.local._process import free_port, free_port_block, port_open

FETCH_WAIT_MS = 500  # Kafka's default fetch.max.wait.ms, fixed
GOOD = "print(sum(range(10)))\n"


def pct(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100)
    return f"p50 {statistics.median(samples):6.1f} ms  p99 {q[98]:6.1f} ms  (n={len(samples)})"


def family(proc: psutil.Process) -> list[psutil.Process]:
    return [proc, *proc.children(recursive=True)]


def cpu_seconds(procs: list[psutil.Process]) -> dict[int, float]:
    out = {}
    for p in procs:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return out


def start_stack(logs: Path) -> tuple[subprocess.Popen[bytes], str]:
    broker = free_port()
    argv = [sys.executable, "-c", "from learnflow.local.cli import main; main()", "up"]
    argv += ["--broker-port", str(broker), "--ingress-port", "0", "--functions-port", str(free_port_block(4))]
    argv += ["--metrics-address", "127.0.0.1:0", "--gateway-port", "0", "--log-dir", str(logs), "--root", str(ROOT)]
    with open(logs / "up.out", "wb") as out:  # the child keeps its own descriptor
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env={**os.environ})
    deadline = time.monotonic() + 120
    while b"is up" not in (logs / "up.out").read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"learnflow up did not start:\n{(logs / 'up.out').read_text()[-3000:]}")
        time.sleep(0.2)
    assert port_open("127.0.0.1", broker)
    return proc, f"127.0.0.1:{broker}"


def stop_stack(proc: subprocess.Popen[bytes]) -> None:
    kids = family(psutil.Process(proc.pid))
    proc.send_signal(signal.SIGINT)  # what Ctrl-C does
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        pass
    for p in kids[1:]:  # by PID: whatever outlived the command
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass


def idle(proc: subprocess.Popen[bytes], seconds: float) -> None:
    root = psutil.Process(proc.pid)
    procs = family(root)
    before = cpu_seconds(procs)
    time.sleep(seconds)
    after = cpu_seconds(procs)
    used = {pid: after[pid] - before[pid] for pid in after if pid in before}
    rss = sum(p.memory_info().rss for p in procs if p.is_running())
    top = sorted(used.items(), key=lambda kv: -kv[1])[:4]
    names = {p.pid: " ".join(p.cmdline()[1:4])[:60] for p in procs if p.is_running()}
    print(f"1. idle over {seconds:.0f} s after start: {100 * sum(used.values()) / seconds:.1f} % of one core")
    print(f"   RSS {rss / 2**20:.0f} MiB in {len(procs)} processes; busiest:")
    for pid, s in top:
        print(f"     {100 * s / seconds:5.1f} %  {names.get(pid, pid)}")


def submission_of(value: bytes) -> str | None:
    doc = json.loads(value)
    return doc.get("submissionId") or doc.get("data", {}).get("submissionId")


def first_events(bootstrap: str, probes: int) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=0, acks=1)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, fetch_max_wait_ms=FETCH_WAIT_MS, enable_auto_commit=False)
    tps = [TopicPartition("learning-events", p) for p in sorted(consumer.partitions_for_topic("learning-events") or ())]
    consumer.assign(tps)
    consumer.seek_to_end(*tps)
    consumer.poll(1000)
    latencies = []
    for _ in range(probes):
        time.sleep(random.uniform(0.5, 1.5))
        event = new_event(
            CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "code": GOOD, "language": "python"}
        )
        record = to_record(event, "/learnflow/bench")
        t0 = time.perf_counter()
        producer.send("code-submitted", key=record.key, value=record.value, headers=list(record.headers)).get(10)
        done = False
        while not done and time.perf_counter() - t0 < 30:
            for batch in consumer.poll(timeout_ms=1000).values():
                for r in batch:
                    kind = dict(r.headers or ()).get("ce_type")
                    if kind == b"code.executed" and submission_of(r.value) == str(event.event_id):
                        latencies.append((time.perf_counter() - t0) * 1000)
                        done = True
    producer.close()
    consumer.close()
    print(f"2. first event on a quiet stack, submission -> code.executed read with a {FETCH_WAIT_MS} ms fetch wait:")
    print(f"   {pct(latencies)}; {probes - len(latencies)} lost")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--probes", type=int, default=50)
    parser.add_argument("--log-dir", help="keep the stack's logs here (default: a temporary folder)")
    args = parser.parse_args()
    print(f"quiet stack: {os.cpu_count()} cores, `learnflow up` with the embedded broker")
    with tempfile.TemporaryDirectory(prefix="learnflow-bench-") as tmp:
        logs = Path(args.log_dir) if args.log_dir else Path(tmp)
        logs.mkdir(parents=True, exist_ok=True)
        proc, bootstrap = start_stack(logs)
        try:
            idle(proc, args.idle_seconds)
            first_events(bootstrap, args.probes)
        finally:
            stop_stack(proc)


if __name__ == "__main__":
    main()
