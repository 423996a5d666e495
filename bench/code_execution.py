"""Benchmark: ``print('hello')`` through the sandbox against a bare interpreter spawn.

    .venv/bin/python bench/code_execution.py [--samples 300] [--seconds 3] [--no-http]

Measures, in one run so machine noise hits all alike:
- p50/p95 latency of the bare ``subprocess.run([python, -I, -S, -c, code])`` and of
  ``Sandbox.run`` with every layer this machine has, samples interleaved;
- runs/s with 2 in flight (two threads; the sandbox with a pool of 2 zygotes);
- p50/p95 and req/s (2 clients) through the ``execute`` HTTP target under
  functions-framework, publishing to the embedded broker;
- grading's cost: the same program (Sum of evens' reference: a print and two calls)
  submitted to its catalogue exercise (graded) and to an unknown one (ungraded),
  samples interleaved, through ``Sandbox.run`` and through ``execute``; through
  ``execute`` also a wrong answer (grading alone) apart from a right one (grading and
  the completion it earns: the learner's history read back, a second event).
Goals on 2 cores (issue 3): sandbox p50 <= 0.6x the bare spawn, >= 200 runs/s;
(issue 25) graded ``execute`` p50 <= 1.3x ungraded.
A benchmark, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from functions.code_execution.limits import Limits
from functions.code_execution.sandbox import Sandbox

CODE = "print('hello')"
GRADED_EXERCISE = uuid.UUID("6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90")  # Sum of evens, in the default catalogue
GRADED_CODE = (
    "def sum_evens(numbers):\n    total = 0\n    for n in numbers:\n        if n % 2 == 0:\n            total += n\n"
    "    return total\n\n\nprint(sum_evens(list(range(1, 11))))\n"
)
WRONG_CODE = GRADED_CODE.replace("total += n", "total += n + 1")  # same work, every check fails
GRADED_CALLS = [{"call": "sum_evens", "args": "[[1, 2, 3, 4]]"}, {"call": "sum_evens", "args": "[[]]"}]


def bare() -> None:
    out = subprocess.run([sys.executable, "-I", "-S", "-c", CODE], capture_output=True, env={}, check=True)
    assert out.stdout == b"hello\n"


def percentiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=20)
    return statistics.median(samples), q[18]


def latency(variants: dict[str, Callable[[], None]], samples: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in variants}
    for fn in variants.values():  # warm-up
        for _ in range(5):
            fn()
    for _ in range(samples):  # interleaved rounds
        for name, fn in variants.items():
            t = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t) * 1000)
    return times


def throughput(fn: Callable[[], None], seconds: float, in_flight: int = 2) -> float:
    stop = time.monotonic() + seconds
    counts = [0] * in_flight

    def worker(i: int) -> None:
        while time.monotonic() < stop:
            fn()
            counts[i] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(in_flight) as pool:
        list(pool.map(worker, range(in_flight)))
    return sum(counts) / (time.monotonic() - started)


def http_figures(samples: int, seconds: float) -> tuple[float, float, float]:
    logs = Path(tempfile.mkdtemp(prefix="lf-bench-"))
    try:
        return _http_run(logs, samples, seconds)
    finally:
        shutil.rmtree(logs, ignore_errors=True)


def _http_run(logs: Path, samples: int, seconds: float) -> tuple[float, float, float]:
    import httpx

    from learnflow.events import CodeSubmitted, all_topic_partitions, new_event
    from learnflow.local._admin import ensure_topics
    from learnflow.local._broker import EmbeddedBroker
    from learnflow.local._function_server import FunctionServer
    from learnflow.serverless import BrokerKind, kafka_settings

    with EmbeddedBroker(log_path=logs / "broker.log") as broker:
        settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
        ensure_topics(settings, all_topic_partitions())
        env = {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "KAFKA_BROKER_KIND": "embedded", "SANDBOX_POOL_SIZE": "2"}
        with FunctionServer("code_execution", "execute", "http", env=env, log_path=logs / "execute.log") as server:
            local = threading.local()  # one keep-alive connection per client thread

            def post() -> None:
                if not hasattr(local, "client"):
                    local.client = httpx.Client(timeout=30)
                client = local.client
                event = new_event(
                    CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "code": CODE, "language": "python"}
                )
                r = client.post(server.url, content=event.to_json_bytes(), headers={"content-type": "application/json"})
                assert r.status_code == 200 and r.headers["learnflow-published"] == "true", r.text

            times = latency({"http": post}, samples)["http"]
            p50, p95 = percentiles(times)
            rate = throughput(post, seconds)

            def submit(exercise_id: uuid.UUID, code: str, graded: bool | None) -> None:
                client = local.client
                data = {"exerciseId": exercise_id, "code": code, "language": "python"}
                event = new_event(CodeSubmitted, user_id=uuid.uuid4(), data=data)
                r = client.post(server.url, content=event.to_json_bytes(), headers={"content-type": "application/json"})
                assert r.status_code == 200, r.text
                grade = r.json()["data"]["grade"]
                assert (grade is None) if graded is None else (grade["passed"] is graded), r.text

            # Failing: grading alone. Passing: grading, then the completion it earns (the
            # learner's history read back from Kafka, and a second event published).
            grading = latency(
                {
                    "ungraded": lambda: submit(uuid.uuid4(), GRADED_CODE, None),
                    "failing": lambda: submit(GRADED_EXERCISE, WRONG_CODE, False),
                    "passing": lambda: submit(GRADED_EXERCISE, GRADED_CODE, True),
                },
                samples,
            )
            for name in ("ungraded", "failing", "passing"):
                g50, g95 = percentiles(grading[name])
                print(f"execute {name:9} p50 {g50:6.2f} ms  p95 {g95:6.2f} ms")
            base = statistics.median(grading["ungraded"])
            print(f"grading cost p50 {statistics.median(grading['failing']) / base:.2f}x through execute (goal <= 1.30x)")
            print(f"grading + completion p50 {statistics.median(grading['passing']) / base:.2f}x through execute")
    return p50, p95, rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args()

    with Sandbox(Limits(), size=2) as sandbox:

        def sandboxed() -> None:
            out = sandbox.run(CODE)
            assert out.stdout == "hello\n", out

        print(f"machine: {os.cpu_count()} CPUs, {sys.version.split()[0]}, uid {os.getuid()}")
        print(f"sandbox level {sandbox.level.name}: {', '.join(sandbox.layers)}")
        times = latency({"bare": bare, "sandbox": sandboxed}, args.samples)
        (b50, b95), (s50, s95) = percentiles(times["bare"]), percentiles(times["sandbox"])
        b_rate = throughput(bare, args.seconds)
        s_rate = throughput(sandboxed, args.seconds)

        def ungraded() -> None:
            assert sandbox.run(GRADED_CODE).stdout == "30\n"

        def graded() -> None:
            out = sandbox.run(GRADED_CODE, calls=GRADED_CALLS)
            assert [c.value for c in out.calls] == ["6", "0"], out

        grading = latency({"ungraded": ungraded, "graded": graded}, args.samples)
        (u50, u95), (g50, g95) = percentiles(grading["ungraded"]), percentiles(grading["graded"])
    print(f"bare spawn   p50 {b50:6.2f} ms  p95 {b95:6.2f} ms  {b_rate:6.0f} runs/s (2 in flight)")
    print(f"sandbox      p50 {s50:6.2f} ms  p95 {s95:6.2f} ms  {s_rate:6.0f} runs/s (2 in flight)")
    print(f"ratio        p50 {s50 / b50:.2f}x (goal <= 0.60x), throughput {s_rate / b_rate:.2f}x (goal >= 200 runs/s)")
    print(f"sandbox ungraded p50 {u50:6.2f} ms  p95 {u95:6.2f} ms  (Sum of evens' reference, no calls)")
    print(f"sandbox graded   p50 {g50:6.2f} ms  p95 {g95:6.2f} ms  (the same, and its two calls)")
    print(f"grading cost p50 {g50 / u50:.2f}x in the sandbox")
    if not args.no_http:
        h50, h95, h_rate = http_figures(args.samples, args.seconds)
        print(f"execute HTTP p50 {h50:6.2f} ms  p95 {h95:6.2f} ms  {h_rate:6.0f} req/s (2 clients, publish acks=all)")


if __name__ == "__main__":
    main()
