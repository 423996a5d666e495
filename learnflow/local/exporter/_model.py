"""What the offsets exporter knows, as pure values and arithmetic (no Kafka, no clock).

The Kafka edge (``_reader``) turns the broker into an ``OffsetsSnapshot``;
``OffsetsState.observe`` turns successive snapshots into ``Readings``; the service
writes those into the Prometheus metrics. Everything here is testable without a broker.

Two rules hold whatever the broker does, including a restart that empties it:
lag is never negative, and counters never go down.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from learnflow.events import DLQ_SUFFIX, TOPICS, ConfigurationError

Partition = tuple[str, int]
"""(topic, partition): a neutral key, so nothing here depends on a Kafka client's type."""

LagKey = tuple[str, int, str]
"""(topic, partition, consumer_group): the labels of ``kafka_consumer_lag``."""


@dataclass(frozen=True)
class GroupSpec:
    """A consumer group to report even if the broker's ListGroups does not show it.

    With ``topics``, every partition of those topics gets a lag series from the first
    read, before the group has committed anything (partitions without a commit count
    from the log start, as ``auto.offset.reset=earliest`` would consume them).
    """

    group: str
    topics: frozenset[str] = frozenset()


def parse_group_spec(text: str) -> GroupSpec:
    """``"triage"`` or ``"triage=learning-events,code-submitted"`` -> GroupSpec."""
    group, _, topics = text.partition("=")
    names = frozenset(t.strip() for t in topics.split(",") if t.strip())
    if not group.strip() or ("=" in text and not names):
        raise ConfigurationError(f"bad consumer group {text!r}: expected GROUP or GROUP=TOPIC[,TOPIC...]")
    return GroupSpec(group.strip(), names)


@dataclass(frozen=True)
class Watch:
    """The topics the exporter reads: ``topics`` for lag and throughput, ``dlqs`` mapping
    each origin topic to its dead-letter topic (whose groups get lag series too)."""

    topics: tuple[str, ...]
    dlqs: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_registry(cls) -> Watch:
        """Our topics: the registry, with the dead-letter topic of each that has one."""
        return cls(tuple(TOPICS), {t.name: t.dlq for t in TOPICS.values() if t.dead_lettered})

    @classmethod
    def of(cls, names: Iterable[str]) -> Watch:
        """Any topics, each with ``{topic}.dlq`` (skipped at read time if it does not exist)."""
        names = tuple(dict.fromkeys(names))
        return cls(names, {n: n + DLQ_SUFFIX for n in names})

    @property
    def all_topics(self) -> frozenset[str]:
        return frozenset(self.topics) | frozenset(self.dlqs.values())


@dataclass(frozen=True)
class OffsetsSnapshot:
    """One read of the broker. ``high`` holds only partitions whose Fetch high
    watermark is known; ``committed`` maps each group to its commits on watched topics."""

    high: Mapping[Partition, int]
    low: Mapping[Partition, int]
    committed: Mapping[str, Mapping[Partition, int]]


@dataclass(frozen=True)
class Readings:
    """What to write into the metrics after one snapshot."""

    lag: dict[LagKey, int]
    appended: dict[str, int]  # origin topic -> records appended since the last read
    dead_lettered: dict[str, int]  # origin topic -> arrivals on its DLQ since the last read
    dlq_depth: dict[str, int]  # origin topic -> records held in its DLQ
    per_second: dict[str, float]  # origin topic -> append rate over the window


def partition_lag(high: int, committed: int) -> int:
    """Records not yet consumed; 0, not negative, when a commit is ahead of a reset log."""
    return max(0, high - committed)


def group_lags(snapshot: OffsetsSnapshot, specs: Iterable[GroupSpec] = ()) -> dict[LagKey, int]:
    """Lag of every group on every partition of each topic it has committed on (or was
    named with), so a partition it never committed on still shows its backlog."""
    by_topic: dict[str, list[Partition]] = {}
    for tp in snapshot.high:
        by_topic.setdefault(tp[0], []).append(tp)
    named = {s.group: s.topics for s in specs}
    lags: dict[LagKey, int] = {}
    for group in sorted(set(snapshot.committed) | set(named)):
        commits = snapshot.committed.get(group, {})
        topics = {tp[0] for tp in commits} | named.get(group, frozenset())
        for topic in topics:
            for tp in by_topic.get(topic, []):
                committed = commits.get(tp)
                if committed is None or committed < 0:
                    committed = snapshot.low.get(tp, 0)
                lags[(tp[0], tp[1], group)] = partition_lag(snapshot.high[tp], committed)
    return lags


class AppendCounter:
    """Turns high watermarks into counter increments that never go negative.

    Baseline: the first successful read only records the watermarks (increment 0), so
    the counters mean "appended since the exporter started", like any process counter,
    and a restarted exporter does not add a topic's whole history in one scrape (which
    ``rate()`` would show as a spike). A partition first seen later (a topic created
    afterwards) counts from offset 0. A watermark that went down means the log was
    reset (embedded broker restarted, topic re-created): its new watermark is new records.
    """

    def __init__(self) -> None:
        self._last: dict[Partition, int] = {}
        self._baselined = False

    def advance(self, high: Mapping[Partition, int]) -> dict[Partition, int]:
        deltas: dict[Partition, int] = {}
        for tp, hw in high.items():
            previous = self._last.get(tp)
            if previous is None:
                deltas[tp] = hw if self._baselined else 0
            elif hw < previous:
                deltas[tp] = hw
            else:
                deltas[tp] = hw - previous
            # Partitions missing from one read keep their last value: a metadata hiccup
            # must not make them count their history again when they come back.
            self._last[tp] = hw
        self._baselined = True
        return deltas


class WindowRate:
    """Per-key rate of a monotonic total over a sliding window of ``window_s`` seconds.

    Keeps one sample at or before the window start, so the span is at least the
    window once warmed up, and a stalled exporter still reports the average over
    the real gap rather than 0.
    """

    def __init__(self, window_s: float) -> None:
        if window_s <= 0:
            raise ConfigurationError(f"rate window must be positive, got {window_s}")
        self.window_s = window_s
        self._samples: dict[str, deque[tuple[float, float]]] = {}

    def add(self, key: str, now: float, total: float) -> float:
        samples = self._samples.setdefault(key, deque())
        samples.append((now, total))
        while len(samples) >= 2 and samples[1][0] <= now - self.window_s:
            samples.popleft()
        start, first = samples[0]
        span = now - start
        return (total - first) / span if span > 0 else 0.0


class OffsetsState:
    """Everything the exporter remembers between reads."""

    def __init__(self, watch: Watch, groups: Iterable[GroupSpec] = (), window_s: float = 30.0) -> None:
        self.watch = watch
        self.groups = tuple(groups)
        self._appends = AppendCounter()
        self._rate = WindowRate(window_s)
        self._totals: dict[str, int] = {}

    def observe(self, snapshot: OffsetsSnapshot, now: float) -> Readings:
        deltas = self._appends.advance(snapshot.high)
        origin_of_dlq = {dlq: origin for origin, dlq in self.watch.dlqs.items()}
        appended: dict[str, int] = {}
        dead_lettered: dict[str, int] = {}
        depth: dict[str, int] = {}
        for tp, delta in deltas.items():
            topic = tp[0]
            if topic in origin_of_dlq:
                origin = origin_of_dlq[topic]
                dead_lettered[origin] = dead_lettered.get(origin, 0) + delta
                held = snapshot.high[tp] - snapshot.low.get(tp, 0)
                depth[origin] = depth.get(origin, 0) + max(0, held)
            elif topic in self.watch.topics:
                appended[topic] = appended.get(topic, 0) + delta
        per_second = {}
        for topic, delta in appended.items():
            self._totals[topic] = self._totals.get(topic, 0) + delta
            per_second[topic] = self._rate.add(topic, now, self._totals[topic])
        return Readings(group_lags(snapshot, self.groups), appended, dead_lettered, depth, per_second)
