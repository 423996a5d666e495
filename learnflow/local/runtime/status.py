"""The live status of a running stack: a snapshot of plain values, then a rich table.

Figures come from the same Prometheus metrics that /metrics serves, so the table and
a dashboard never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, CollectorRegistry
from rich.console import Group
from rich.table import Table

if TYPE_CHECKING:
    from learnflow.local.runtime.stack import LocalStack


@dataclass(frozen=True)
class TopicRow:
    topic: str
    received: int
    delivered: int
    lag: int
    retries: int
    dead_lettered: int
    in_flight: int = 0
    bound: int | None = None  # an unordered source's bound on records in flight; None when ordered

    @property
    def full(self) -> bool:
        """An unordered source with every slot taken: a lag now is learners waiting for a sandbox."""
        return self.bound is not None and self.in_flight >= self.bound

    @property
    def in_flight_text(self) -> str:
        """``3`` for an ordered source; ``8/8 full`` when an unordered one has no room left."""
        if self.bound is None:
            return str(self.in_flight)
        return f"{self.in_flight}/{self.bound}" + (" full" if self.full else "")


@dataclass(frozen=True)
class FunctionRow:
    name: str
    state: str
    restarts: int
    calls: int
    errors: int
    p99_ms: float | None


@dataclass(frozen=True)
class Snapshot:
    topics: list[TopicRow]
    functions: list[FunctionRow]


def histogram_quantile(buckets: Sequence[tuple[float, float]], q: float) -> float | None:
    """The upper bound of the bucket holding quantile ``q`` (cumulative ``(le, count)`` pairs)."""
    if not buckets or buckets[-1][1] <= 0:
        return None
    rank = q * buckets[-1][1]
    for upper, count in buckets:
        if count >= rank:
            return upper
    return buckets[-1][0]


def _samples(registry: CollectorRegistry, metric: str) -> Iterable[tuple[str, dict[str, str], float]]:
    for family in registry.collect():
        for sample in family.samples:
            if sample.name == metric:
                yield sample.name, sample.labels, sample.value


def _sum(registry: CollectorRegistry, metric: str, **match: str) -> int:
    return int(sum(v for _, labels, v in _samples(registry, metric) if all(labels.get(k) == x for k, x in match.items())))


def function_row(name: str, state: str, restarts: int, registry: CollectorRegistry = REGISTRY) -> FunctionRow:
    calls = _sum(registry, "learnflow_function_requests_total", function=name)
    ok = _sum(registry, "learnflow_function_requests_total", function=name, outcome="2xx")
    buckets = sorted(
        (float(labels["le"]), v)
        for _, labels, v in _samples(registry, "learnflow_function_request_duration_seconds_bucket")
        if labels.get("function") == name
    )
    p99 = histogram_quantile(buckets, 0.99)
    return FunctionRow(name, state, restarts, calls, calls - ok, None if p99 is None else p99 * 1000)


def topic_row(
    topic: str,
    received: int,
    delivered: int,
    lag: int,
    registry: CollectorRegistry = REGISTRY,
    *,
    in_flight: int = 0,
    bound: int | None = None,
) -> TopicRow:
    retries = _sum(registry, "learnflow_delivery_retries_total", topic=topic)
    dead = _sum(registry, "learnflow_deliveries_total", topic=topic, outcome="dead_lettered")
    return TopicRow(topic, received, delivered, lag, retries, dead, in_flight, bound)


def snapshot(stack: LocalStack) -> Snapshot:
    """The status table's figures for a running stack."""
    rows = []
    for dispatcher in stack.dispatchers.values():
        stats = dispatcher.stats
        bound = None if dispatcher.ordered else dispatcher.max_in_flight
        for topic in dispatcher.source.topics:
            lag = sum(stats.lag.values())
            rows.append(topic_row(topic, stats.received, stats.delivered, lag, in_flight=dispatcher.in_flight, bound=bound))
    functions = [function_row(name, f.status.state, f.status.restarts) for name, f in sorted(stack.functions.items())]
    return Snapshot(rows, functions)


def render(snapshot: Snapshot) -> Group:
    topics = Table(title="topics", title_justify="left", expand=False)
    for col in ("topic", "in", "out", "in flight", "lag", "retries", "dead-lettered"):
        topics.add_column(col, justify="left" if col == "topic" else "right")
    for row in snapshot.topics:
        flight = f"[yellow]{row.in_flight_text}[/]" if row.full else row.in_flight_text
        lag = f"[yellow]{row.lag}[/]" if row.full and row.lag else str(row.lag)
        topics.add_row(row.topic, str(row.received), str(row.delivered), flight, lag, str(row.retries), str(row.dead_lettered))
    functions = Table(title="functions", title_justify="left", expand=False)
    for col in ("function", "state", "restarts", "calls", "errors", "p99"):
        functions.add_column(col, justify="left" if col in ("function", "state") else "right")
    for f in snapshot.functions:
        p99 = "-" if f.p99_ms is None else (f"≤{f.p99_ms:.0f} ms" if f.p99_ms >= 1 else f"≤{f.p99_ms:.1f} ms")
        style = "green" if f.state == "running" else "yellow"
        functions.add_row(f.name, f"[{style}]{f.state}[/]", str(f.restarts), str(f.calls), str(f.errors), p99)
    return Group(topics, functions)


def plain(snapshot: Snapshot) -> str:
    """One line for logs and non-terminals."""
    topics = ", ".join(
        f"{t.topic} in={t.received} out={t.delivered} in_flight={t.in_flight_text.replace(' ', '_')} lag={t.lag} "
        f"dlq={t.dead_lettered}"
        for t in snapshot.topics
    )
    functions = ", ".join(f"{f.name}={f.state}/{f.calls}" for f in snapshot.functions)
    return f"status: {topics} | {functions}"
