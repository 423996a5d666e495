"""Benchmark: what tracing costs the pipeline at saturation (issue 27's figures).

    .venv/bin/python bench/tracing.py [--events 3000]

In one run, so machine noise hits all alike, the pipeline benchmark's saturation phase
(bench/pipeline.py: a backlog on a learning-events-shaped topic, drained by eventing/'s
triage KafkaSource dispatcher into triage) once per mode, triage restarted for each:

1. off: ``OTEL_SDK_DISABLED=true`` in triage, and no tracer provider in this process
   (the dispatcher's): propagation only, no-op spans;
2. embedded: sampled at 100 %, every span exported to the embedded receiver, in a
   process of its own as ``learnflow up`` runs it;
3. otlp: sampled at 100 %, exported to an OTLP/HTTP receiver in a process of its own
   (standing in for a collector: none is installable here).

``embedded-before`` and ``otlp-before`` are tracing as it was before issue 27's cost
work, run between the others so that before and after meet the same machine: the SDK's
own OTLP encoder in both processes (``LEARNFLOW_OTLP_ENCODER=sdk``, not
learnflow/serverless/_otlp_wire.py), triage exporting every 200 ms (now 1 s), and for
embedded the receiver as a thread of this process (now a process of its own, as in
``learnflow up``). This process's own batch processor is made once, so it exports every
second in all modes.

Off must come first: a process's tracer provider, once installed, stays. The direct
rate (3 HTTP clients straight to triage, tracing off) is the usual denominator. Goal:
<= 5 % throughput cost at 100 %, none measurable when off. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import dataclasses

from pipeline import ROOT, KeepAliveTransport, direct, saturation

from learnflow.events import all_topic_partitions
from learnflow.local._admin import ensure_topics
from learnflow.local._broker import EmbeddedBroker
from learnflow.local._function_server import FunctionServer
from learnflow.local.manifests import load_eventing
from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.traces import (
    SCHEDULE_DELAY_MS,
    ReceiverProcess,
    ReceiverServer,
    export_runtime_spans,
    stop_runtime_spans,
    traces_url,
)
from learnflow.serverless import BrokerKind, Publisher, kafka_settings
from learnflow.serverless._span_exporter import ENCODER_VARIABLE

MODES = ("off", "embedded-before", "embedded", "otlp-before", "otlp")


def otlp_env(endpoint: str, delay_ms: int = SCHEDULE_DELAY_MS) -> dict[str, str]:
    """Triage's variables to export to ``endpoint``, every ``delay_ms`` as ``learnflow up`` sets it."""
    return {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": traces_url(endpoint), "OTEL_BSP_SCHEDULE_DELAY": str(delay_ms)}


def cpu_seconds(pid: int | None) -> float:
    """User and system CPU of a process and its children (functions-framework's gunicorn workers)."""
    if pid is None:
        return 0.0
    root = psutil.Process(pid)
    return sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    # A subset is for profiling one mode; off stays first when present (see above).
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset")
    args = parser.parse_args()
    chosen = args.modes.split(",")
    logs = Path(tempfile.mkdtemp(prefix="bench-tracing-"))
    results: dict[str, float] = {}
    cpu: dict[str, tuple[float, float]] = {}  # CPU ms per event: the dispatcher's process, triage's
    with EmbeddedBroker(log_path=logs / "broker.log") as broker, contextlib.ExitStack() as running:
        settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
        ensure_topics(settings, all_topic_partitions())
        kafka = {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "KAFKA_BROKER_KIND": "embedded"}
        source = load_eventing(ROOT).sources["triage"]
        dead_letters = SinkWriter(source.delivery.dead_letter_sink, Publisher("bench-dlq", settings=settings))
        # Before: the receiver was a thread of the dispatchers' process. Now, as in
        # `learnflow up`, a process of its own; the "collector" is one more of those.
        inside = ReceiverServer(port=0).start()
        running.callback(inside.stop)
        embedded = running.enter_context(ReceiverProcess(port=0, log_path=logs / "traces.log"))
        collector = running.enter_context(ReceiverProcess(port=0, log_path=logs / "collector.log"))
        sdk = {ENCODER_VARIABLE: "sdk"}  # the SDK's own OTLP encoder: how it was before _otlp_wire
        was = 200  # ms: the stack's export delay before
        every = {
            "off": {"OTEL_SDK_DISABLED": "true"},
            "embedded-before": {**otlp_env(inside.url, was), **sdk},
            "embedded": otlp_env(embedded.url),
            "otlp-before": {**otlp_env(collector.url, was), **sdk},
            "otlp": otlp_env(collector.url),
        }
        modes = {mode: env for mode, env in every.items() if mode in chosen}
        direct_rate = 0.0
        for k, (mode, env) in enumerate(modes.items()):
            if mode != "off":
                # This process's exporter reads the encoder choice when it is made, as triage's does.
                os.environ.pop(ENCODER_VARIABLE, None)
                os.environ.update({k: v for k, v in env.items() if k == ENCODER_VARIABLE})
                export_runtime_spans("bench-dispatcher", traces_url(env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]))
            with FunctionServer("triage", env={**kafka, **env}, log_path=logs / f"triage-{mode}.log") as triage:
                if not direct_rate:
                    direct_rate = direct(triage.url, args.events)

                def new_dispatcher(topic: str, url: str = triage.url) -> Dispatcher:
                    moved = dataclasses.replace(source, topics=(topic,), consumer_group=f"g-{topic}")
                    return Dispatcher(moved, url, settings, dead_letters, transport=KeepAliveTransport())

                before = cpu_seconds(triage.pid)
                results[mode], dispatcher_ms = saturation(settings, new_dispatcher, args.events, 1_000_000 + 10_000_000 * k)
                cpu[mode] = (dispatcher_ms, (cpu_seconds(triage.pid) - before) * 1000 / args.events)
            stop_runtime_spans()
    print(f"direct HTTP to triage (3 clients, tracing off): {direct_rate:8.1f} events/s")
    for mode, rate in results.items():
        cost = 1 - rate / results.get("off", rate)
        print(
            f"  {mode:<15} pipeline at saturation {rate:8.1f} events/s   ratio {rate / direct_rate:.2f}x direct   cost vs off {cost:+.1%}"
        )
    print("CPU ms per event (load moves these far less than the rates):")
    for mode, (dispatcher_ms, triage_ms) in cpu.items():
        extra = (dispatcher_ms + triage_ms) / sum(cpu.get("off", (dispatcher_ms, triage_ms))) - 1
        print(
            f"  {mode:<15} dispatcher {dispatcher_ms:5.2f}   triage {triage_ms:5.2f}   both {dispatcher_ms + triage_ms:5.2f}   vs off {extra:+.1%}"
        )


if __name__ == "__main__":
    main()
