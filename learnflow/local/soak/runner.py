"""Run a soak: the local runtime under steady traffic and a fixed fault schedule.

The broker keeps its data only in memory, so its fault is scoped to connection loss:
every Kafka client reaches it through a TCP proxy that drops all connections and
refuses new ones for a while. That is the failure that happens in practice (a network
blip, a broker pod moving) and it leaves the broker's data intact, so a lost event can
only be the pipeline's fault. (Killing the broker would erase every topic and offset:
loss by construction, not a finding.)
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from learnflow.events import Envelope, PublishError
from learnflow.local._broker import EmbeddedBroker
from learnflow.local._dead_letters import DeadLetter
from learnflow.local._process import free_port, free_port_block
from learnflow.local._simulation import sessions
from learnflow.local._topic_reader import read_topic
from learnflow.local.manifests import Eventing, load_eventing, load_knative
from learnflow.local.runtime.stack import PROJECT_ROOT, LocalStack, StackOptions
from learnflow.local.runtime.transport import KeepAliveTransport
from learnflow.local.soak.faults import DroppingTcpProxy, FaultyTransport
from learnflow.local.soak.ledger import Ledger, Summary
from learnflow.serverless import BrokerKind, Publisher

log = logging.getLogger(__name__)

SOAKED_TOPICS = ("code-submitted", "learning-events")
# An endless loop holds a sandbox for its whole CPU limit (3 s of a core): at 100 events/s
# on 2 cores a realistic share of them alone would exceed the machine. The soak is about
# delivery, not sandbox capacity (bench/code_execution.py measures that), so it leaves them out.
SOAK_EXCLUDES = frozenset({"timeout"})
SENDERS = 4


@dataclass(frozen=True)
class SoakOptions:
    duration: float = 600.0
    rate: float = 100.0
    # An ordered partition waits out each retry's backoff (1 s first), so it absorbs about
    # one failure a second: at ~33 events/s per partition, 0.5 % failing keeps it busy 16 %
    # of the time in backoff, while 5 % would need 165 % and the backlog would only grow.
    fail_ratio: float = 0.005  # of requests answered 500, between 10 % and 90 % of the run
    slow_ratio: float = 0.002  # of triage requests answered after the timeout, at 20-30 %
    broker_cut_seconds: float = 2.0
    delivery_timeout: float | None = None  # override the manifests' per-attempt timeout (short runs)
    drain_timeout: float = 300.0
    seed: int = 1
    root: Path = PROJECT_ROOT
    log_dir: Path = Path(".learnflow/soak")


@dataclass(frozen=True)
class Fault:
    at: float  # fraction of the run
    name: str
    action: Callable[[], None]


class Soak:
    def __init__(self, options: SoakOptions, progress: Callable[[str], None] = lambda _msg: None) -> None:
        self.options = options
        self.progress = progress
        self.ledger = Ledger()
        self._lock = threading.Lock()
        self.faults_done: list[str] = []
        self.unproduced = 0
        self.injected: dict[str, dict[str, int]] = {}
        self.broker_cuts = 0
        self.produce_seconds = 0.0
        self.backlog_at_end = 0  # records still uncommitted when the drain gave up

    def _accepted(self, event_id: str, at: float) -> None:
        with self._lock:
            self.ledger.record_accepted(event_id, at)

    def _eventing(self) -> Eventing:
        eventing = load_eventing(self.options.root)
        if self.options.delivery_timeout is None:
            return eventing
        sources = {
            name: dataclasses.replace(s, delivery=dataclasses.replace(s.delivery, timeout=self.options.delivery_timeout))
            for name, s in eventing.sources.items()
        }
        return dataclasses.replace(eventing, sources=sources)

    def run(self) -> Summary:
        opts = self.options
        eventing = self._eventing()
        proxies: dict[str, FaultyTransport] = {}

        def transport_for(service: str) -> FaultyTransport:
            proxies[service] = FaultyTransport(KeepAliveTransport(), self._accepted, seed=opts.seed + len(proxies))
            return proxies[service]

        broker_port, proxy_port = free_port(), free_port()
        broker = EmbeddedBroker(port=broker_port, advertised_port=proxy_port, log_path=opts.log_dir / "broker.log")
        tcp = DroppingTcpProxy(proxy_port, broker_port)
        stack = LocalStack(
            StackOptions(
                root=opts.root,
                bootstrap_servers=f"127.0.0.1:{proxy_port}",
                broker_kind=BrokerKind.EMBEDDED,
                ingress_port=0,
                functions_port=free_port_block(len(load_knative(opts.root).services)),
                metrics_address="127.0.0.1:0",
                traces_address="127.0.0.1:0",
                log_dir=opts.log_dir,
            ),
            eventing=eventing,
            transport_for=transport_for,
        )
        try:
            broker.start()
            tcp.start()
            self.progress("starting the pipeline")
            stack.start()
            assert stack.settings is not None
            faults = self._schedule(stack, proxies, tcp)
            self._produce(stack, faults)
            self._drain(stack)
            self._read_dead_letters(stack)
        finally:
            stack.stop()
            tcp.stop()
            broker.stop()
        self.injected = {name: p.injected for name, p in proxies.items()}
        self.broker_cuts = tcp.cuts
        return self.ledger.summary()

    def _schedule(self, stack: LocalStack, proxies: dict[str, FaultyTransport], tcp: DroppingTcpProxy) -> list[Fault]:
        opts = self.options

        def set_ratio(attr: str, value: float, only: str | None = None) -> Callable[[], None]:
            def apply() -> None:
                for name, proxy in proxies.items():
                    if only is None or name == only:
                        setattr(proxy, attr, value)

            return apply

        def kill(service: str) -> Callable[[], None]:
            def apply() -> None:
                pid = stack.functions[service].status.pid
                if pid:
                    os.killpg(pid, signal.SIGKILL)  # the whole process, as a crashed container; the supervisor restarts it

            return apply

        return [
            Fault(0.10, f"functions answer 500 to {opts.fail_ratio:.1%} of requests", set_ratio("fail_ratio", opts.fail_ratio)),
            Fault(
                0.20,
                f"triage answers {opts.slow_ratio:.1%} of requests after the timeout",
                set_ratio("slow_ratio", opts.slow_ratio, "triage"),
            ),
            Fault(0.30, "triage answers in time again", set_ratio("slow_ratio", 0.0, "triage")),
            Fault(0.35, "triage killed (SIGKILL)", kill("triage")),
            Fault(0.45, f"broker connections cut for {opts.broker_cut_seconds:g} s", lambda: tcp.cut(opts.broker_cut_seconds)),
            Fault(0.60, "code-execution killed (SIGKILL)", kill("code-execution")),
            Fault(0.75, f"broker connections cut for {opts.broker_cut_seconds:g} s", lambda: tcp.cut(opts.broker_cut_seconds)),
            Fault(0.90, "functions answer every request again", set_ratio("fail_ratio", 0.0)),
        ]

    def _produce(self, stack: LocalStack, faults: list[Fault]) -> None:
        """Produce at the fixed rate (paced against the clock) and fire faults on schedule.

        Sends go through a few threads sharing one producer: each send waits for its
        acknowledgement, and one waiting sender alone could not keep 100 events/s.
        """
        opts = self.options
        publisher = Publisher("frontend", settings=stack.settings)
        total = int(opts.duration * opts.rate)
        pending = sorted(faults, key=lambda f: f.at)
        started = time.monotonic()
        events = itertools.islice(sessions(max(10, int(opts.rate)), opts.seed, SOAK_EXCLUDES), total)
        with ThreadPoolExecutor(SENDERS, thread_name_prefix="soak-producer") as senders:
            try:
                for i, event in enumerate(events):
                    while pending and started + pending[0].at * opts.duration <= time.monotonic():
                        self._fire(pending.pop(0), started)
                    delay = started + i / opts.rate - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    senders.submit(self._publish, publisher, event)
                    if i and i % max(1, int(opts.rate * 10)) == 0:
                        self.progress(
                            f"produced {i} of {total} ({i / (time.monotonic() - started):.0f}/s), "
                            f"{_backlog(stack)} not yet committed"
                        )
                for fault in pending:
                    self._fire(fault, started)
            finally:
                senders.shutdown(wait=True)
                publisher.close()
        self.produce_seconds = time.monotonic() - started

    def _fire(self, fault: Fault, started: float) -> None:
        fault.action()
        self.faults_done.append(f"{time.monotonic() - started:6.1f} s  {fault.name}")
        self.progress(f"fault: {fault.name}")

    def _publish(self, publisher: Publisher, event: Envelope) -> None:
        """Publish, retrying through broker cuts; an event that never made it is not 'produced'."""
        deadline = time.monotonic() + 30
        sent_at = time.time()
        while True:
            try:
                publisher.publish(event)
                break
            except PublishError:
                if time.monotonic() > deadline:
                    with self._lock:
                        self.unproduced += 1
                    return
                time.sleep(0.2)
        with self._lock:
            self.ledger.record_produced(str(event.event_id), sent_at)

    def _settled(self) -> bool:
        with self._lock:
            return all(self.ledger.accepted[i] for i in self.ledger.produced)

    def _drain(self, stack: LocalStack) -> None:
        self.progress("draining")
        started = time.monotonic()
        next_report = started + 10
        while time.monotonic() - started < self.options.drain_timeout:
            if self._settled():
                return
            lag = _backlog(stack)
            unfinished = sum(d.in_flight for d in stack.dispatchers.values())
            if lag == 0 and unfinished == 0 and time.monotonic() - started > 5:
                return  # everything consumed and finished; what was not accepted is dead-lettered
            if time.monotonic() >= next_report:
                self.progress(f"draining: {lag} records not yet committed, {unfinished} in delivery")
                next_report += 10
            time.sleep(0.5)
        self.backlog_at_end = _backlog(stack)

    def _read_dead_letters(self, stack: LocalStack) -> None:
        assert stack.settings is not None
        for topic in SOAKED_TOPICS:
            for stored in read_topic(stack.settings, f"{topic}.dlq"):
                letter = DeadLetter(stored.partition, stored.offset, stored.record)
                with self._lock:
                    self.ledger.record_dead_letter(letter.event_id, letter.reason)


def _backlog(stack: LocalStack) -> int:
    """Records that the dispatchers' groups have not committed yet, over every consumed topic."""
    return sum(sum(d.stats.lag.values()) for d in stack.dispatchers.values())
