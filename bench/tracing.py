"""Benchmark: what tracing costs the pipeline at saturation (issue 27's figures).

    .venv/bin/python bench/tracing.py [--events 3000] [--rounds 4] [--modes off,embedded,otlp] [--trees name=path,...]

The pipeline benchmark's saturation phase (bench/pipeline.py: a backlog on a
learning-events-shaped topic, drained by eventing/'s triage KafkaSource dispatcher into
triage), once per mode and round, the modes interleaved: off, embedded, otlp, off,
embedded, otlp... so that the machine's load, which on 2 shared cores moves a rate by
a third from one minute to the next, falls on every mode alike.

1. off: ``OTEL_SDK_DISABLED=true`` in triage, and no tracer provider in the dispatcher's
   process: propagation only, no-op spans;
2. embedded: sampled at 100 %, every span exported to the embedded receiver, in a
   process of its own as ``learnflow up`` runs it;
3. otlp: sampled at 100 %, exported to an OTLP/HTTP receiver in a process of its own
   (standing in for a collector: none is installable here).

Each run starts fresh: triage is restarted, and the dispatcher runs in a child process
(``--child``), because a process's tracer provider, once installed, stays. The backlog
is written by this process (which installs none) before triage starts, each record
with a sampled ``traceparent``, as a traced hop upstream would write it.

``--trees before=PATH,after=.`` measures several checkouts in the same rounds (each
tree's triage and dispatcher run its own code, under its own ``.venv``): a change's
before and after then meet the same minutes of the machine, which nothing else here
can promise. Per tree and mode it prints the median rate, its spread (min-max), the
ratio to off (the median of each round's rate over that round's off rate, so a slow
minute cancels out; cost is one minus it, and also given from the modes' medians), and
the CPU milliseconds per event of the dispatcher's process and of triage's, which load
moves far less than the rates. Goal: <= 5 % throughput cost at 100 %, none measurable when
off. A benchmark, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import ROOT, KeepAliveTransport, OutputWatcher, fresh_input, struggling

from learnflow.events import all_topic_partitions, to_record
from learnflow.local._admin import ensure_topics
from learnflow.local._broker import EmbeddedBroker
from learnflow.local._function_server import FunctionServer
from learnflow.local.manifests import load_eventing
from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.traces import SCHEDULE_DELAY_MS, ReceiverProcess, export_runtime_spans, stop_runtime_spans, traces_url
from learnflow.serverless import BrokerKind, KafkaSettings, Publisher, kafka_settings

MODES = ("off", "embedded", "otlp")


@dataclasses.dataclass(frozen=True)
class Run:
    """One saturation run: events/s, and CPU ms per event of the dispatcher's process and triage's."""

    rate: float
    dispatcher_ms: float
    triage_ms: float

    @property
    def both_ms(self) -> float:
        return self.dispatcher_ms + self.triage_ms


def otlp_env(endpoint: str) -> dict[str, str]:
    """Triage's variables to export to ``endpoint``, as ``learnflow up`` sets them."""
    return {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": traces_url(endpoint), "OTEL_BSP_SCHEDULE_DELAY": str(SCHEDULE_DELAY_MS)}


def cpu_seconds(process: psutil.Process) -> float:
    """User and system CPU of a process and its children (functions-framework's gunicorn workers)."""
    return sum(sum(p.cpu_times()[:2]) for p in [process, *process.children(recursive=True)])


def backlog(settings: KafkaSettings, n: int, offset: int) -> str:
    """A new topic holding n events, each carrying a sampled ``traceparent`` as if a traced hop wrote it.

    Written by the parent, which never installs a tracer provider: so the publisher keeps
    each record's own ``traceparent``, and no span of the backlog's is exported while a
    dispatcher is being timed.
    """
    topic = fresh_input(settings)
    publisher = Publisher("bench", settings=settings)
    for i in range(n):
        record = to_record(struggling(offset + i), "/bench")
        traceparent = f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01".encode()
        publisher.send_record(topic, record._replace(headers=[*record.headers, ("traceparent", traceparent)]))
    publisher.close()
    return topic


def drain(settings: KafkaSettings, topic: str, triage_url: str, triage_pid: int, n: int, offset: int) -> Run:
    """The child's part: time this process's dispatcher draining the backlog on ``topic``.

    As bench/pipeline.py's saturation, with triage's CPU read at the same instants as this
    process's: from the first record taken (the group join before it is start-up) to the
    last delivery (a 2xx from triage means its output is acknowledged on the topic).
    """
    watcher = OutputWatcher(settings)
    source = dataclasses.replace(load_eventing(ROOT).sources["triage"], topics=(topic,), consumer_group=f"g-{topic}")
    dead_letters = SinkWriter(source.delivery.dead_letter_sink, Publisher("bench-dlq", settings=settings))
    dispatcher = Dispatcher(source, triage_url, settings, dead_letters, transport=KeepAliveTransport()).start()
    triage = psutil.Process(triage_pid)
    deadline = time.monotonic() + 600
    while dispatcher.stats.received == 0 and time.monotonic() < deadline:
        time.sleep(0.001)
    started, cpu_started, triage_started = time.monotonic(), time.process_time(), cpu_seconds(triage)
    while dispatcher.stats.delivered < n and time.monotonic() < deadline:
        time.sleep(0.01)
    finished, cpu_finished, triage_finished = time.monotonic(), time.process_time(), cpu_seconds(triage)
    dispatcher.stop()
    outputs = len(watcher.wait_for_keys({struggling(offset + i).key for i in range(n)}, timeout=30))
    watcher.close()
    if outputs != n:
        raise SystemExit(f"saturation: {outputs} of {n} outputs reached struggle-detected")
    per_event = 1000 / n
    return Run(n / (finished - started), (cpu_finished - cpu_started) * per_event, (triage_finished - triage_started) * per_event)


def child(spec: dict[str, object]) -> None:
    """Run one drain in this fresh process, exporting its spans to ``spec["endpoint"]`` if set; print the Run as JSON."""
    settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=str(spec["bootstrap"]), KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
    endpoint = spec.get("endpoint")
    if endpoint:
        export_runtime_spans("bench-dispatcher", str(endpoint))
    events, offset = int(str(spec["events"])), int(str(spec["offset"]))
    run = drain(settings, str(spec["topic"]), str(spec["url"]), int(str(spec["pid"])), events, offset)
    if endpoint:
        stop_runtime_spans()
    print(json.dumps(dataclasses.asdict(run)))


class TreeFunctionServer(FunctionServer):
    """Triage as another checkout runs it: that tree's source, under its own virtualenv's Python."""

    def __init__(self, tree: Tree, **options: Any) -> None:
        super().__init__("triage", source=tree.path / "functions" / "triage" / "main.py", **options)
        self.python = tree.python

    def argv(self) -> list[str]:
        return [self.python, *super().argv()[1:]]


@dataclasses.dataclass(frozen=True)
class Tree:
    """A checkout to measure: its code runs triage and the dispatcher (its own bench/tracing.py, as ``--child``)."""

    name: str
    path: Path

    @property
    def python(self) -> str:
        venv = self.path / ".venv" / "bin" / "python"
        return str(venv) if self.path != HERE else sys.executable


HERE = Path(__file__).resolve().parents[1]


def trees_of(option: str) -> list[Tree]:
    """``name=path,...``; empty: this checkout alone."""
    if not option:
        return [Tree("", HERE)]
    named = [item.split("=", 1) for item in option.split(",")]
    return [Tree(name, Path(path).resolve()) for name, path in named]


def spread(values: list[float]) -> str:
    return f"{min(values):7.1f}-{max(values):<7.1f}"


def report(runs: dict[tuple[str, str], list[Run]]) -> None:
    """Per tree and mode: median rate, spread, ratio to that tree's off (paired by round), CPU per event."""
    print(f"{'tree mode':<18} {'median ev/s':>11} {'min-max':>15} {'ratio to off':>12} {'cost':>7} {'(medians)':>9}")
    for (tree, mode), mine in runs.items():
        off = runs.get((tree, "off"))
        rate = statistics.median(r.rate for r in mine)
        line = f"{f'{tree} {mode}'.strip():<18} {rate:11.1f} {spread([r.rate for r in mine]):>15}"
        if off and mode != "off":
            paired = statistics.median(m.rate / o.rate for m, o in zip(mine, off, strict=False))
            line += f" {paired:12.3f} {1 - paired:+7.1%} {1 - rate / statistics.median(r.rate for r in off):+9.1%}"
        print(line)
    print("CPU ms per event, median (min-max); vs off: the medians' ratio")
    for (tree, mode), mine in runs.items():
        off = runs.get((tree, "off"))
        d, t, b = ([getattr(r, f) for r in mine] for f in ("dispatcher_ms", "triage_ms", "both_ms"))
        line = f"{f'{tree} {mode}'.strip():<18} dispatcher {statistics.median(d):5.2f} ({min(d):.2f}-{max(d):.2f})"
        line += f"   triage {statistics.median(t):5.2f} ({min(t):.2f}-{max(t):.2f})"
        line += f"   both {statistics.median(b):5.2f} ({min(b):.2f}-{max(b):.2f})"
        if off and mode != "off":
            line += f"   vs off {statistics.median(b) / statistics.median(r.both_ms for r in off) - 1:+.1%}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset, in the order of each round")
    parser.add_argument(
        "--trees",
        default="",
        help="name=path,... of checkouts (each with its .venv) to measure in the same rounds, e.g. before=../main,after=.",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return
    chosen = args.modes.split(",")
    if not set(chosen) <= set(MODES):
        parser.error(f"--modes: choose from {', '.join(MODES)}")
    trees = trees_of(args.trees)
    logs = Path(tempfile.mkdtemp(prefix="bench-tracing-"))
    runs: dict[tuple[str, str], list[Run]] = {(tree.name, mode): [] for tree in trees for mode in chosen}
    with EmbeddedBroker(log_path=logs / "broker.log") as broker, contextlib.ExitStack() as running:
        settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
        ensure_topics(settings, all_topic_partitions())
        kafka = {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "KAFKA_BROKER_KIND": "embedded"}
        embedded = running.enter_context(ReceiverProcess(port=0, log_path=logs / "traces.log"))
        collector = running.enter_context(ReceiverProcess(port=0, log_path=logs / "collector.log"))
        endpoints = {"off": None, "embedded": embedded.url, "otlp": collector.url}
        plan = [(r, tree, mode) for r in range(args.rounds) for tree in trees for mode in chosen]
        for k, (round_, tree, mode) in enumerate(plan):
            endpoint = endpoints[mode]
            env = otlp_env(endpoint) if endpoint else {"OTEL_SDK_DISABLED": "true"}
            offset = 1_000_000 + 10_000_000 * k
            topic = backlog(settings, args.events, offset)
            log = logs / f"triage-{tree.name}-{mode}-{round_}.log"
            with TreeFunctionServer(tree, env={**kafka, **env}, log_path=log) as triage:
                assert triage.pid is not None
                spec = {
                    "bootstrap": broker.bootstrap,
                    "topic": topic,
                    "url": triage.url,
                    "pid": triage.pid,
                    "events": args.events,
                    "offset": offset,
                    "endpoint": endpoint,
                }
                argv = [tree.python, str(tree.path / "bench" / "tracing.py"), "--child", json.dumps(spec)]
                out = subprocess.run(argv, check=True, capture_output=True, text=True)
            run = Run(**json.loads(out.stdout.strip().splitlines()[-1]))
            runs[(tree.name, mode)].append(run)
            print(
                f"round {round_ + 1} {f'{tree.name} {mode}'.strip():<18} {run.rate:7.1f} ev/s"
                f"   CPU ms/event dispatcher {run.dispatcher_ms:.2f} triage {run.triage_ms:.2f}   load {psutil.getloadavg()[0]:.1f}",
                flush=True,
            )
    report(runs)


if __name__ == "__main__":
    main()
