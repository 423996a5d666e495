"""Reconciling a soak: what happened to every event that was produced.

Pure bookkeeping: the runner records what it produced, what each function accepted
(seen by the fault proxy in front of it) and what arrived on the dead-letter topics;
the ledger says, per event, delivered once, delivered more than once, dead-lettered
(with the reason) or lost.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Ledger:
    produced: dict[str, float] = field(default_factory=dict)  # event id -> produce time (s)
    accepted: Counter[str] = field(default_factory=Counter)  # event id -> 2xx answers of its function
    first_accepted: dict[str, float] = field(default_factory=dict)  # event id -> time of the first 2xx
    dead_letters: dict[str, str] = field(default_factory=dict)  # event id -> reason

    def record_produced(self, event_id: str, at: float) -> None:
        self.produced[event_id] = at

    def record_accepted(self, event_id: str, at: float) -> None:
        self.accepted[event_id] += 1
        self.first_accepted.setdefault(event_id, at)

    def record_dead_letter(self, event_id: str, reason: str) -> None:
        self.dead_letters.setdefault(event_id, reason)

    def summary(self) -> Summary:
        ids = self.produced.keys()
        delivered = [i for i in ids if self.accepted[i] >= 1]
        duplicates = sum(self.accepted[i] - 1 for i in delivered)
        dead = {i: r for i, r in self.dead_letters.items() if i in self.produced}
        lost = sorted(i for i in ids if self.accepted[i] == 0 and i not in dead)
        latencies = sorted((self.first_accepted[i] - self.produced[i]) * 1000 for i in delivered if i in self.first_accepted)
        return Summary(
            produced=len(self.produced),
            delivered=len(delivered),
            delivered_more_than_once=sum(1 for i in delivered if self.accepted[i] > 1),
            duplicate_deliveries=duplicates,
            dead_lettered=Counter(dead.values()),
            dead_lettered_after_delivery=sum(1 for i in dead if self.accepted[i] > 0),
            lost=lost,
            latency_ms=latencies,
        )


@dataclass(frozen=True)
class Summary:
    produced: int
    delivered: int
    delivered_more_than_once: int
    duplicate_deliveries: int
    dead_lettered: Counter[str]
    dead_lettered_after_delivery: int  # a late answer got through, yet every attempt timed out
    lost: list[str]
    latency_ms: list[float]

    def percentile(self, q: float) -> float | None:
        if not self.latency_ms:
            return None
        if len(self.latency_ms) == 1:
            return self.latency_ms[0]
        return statistics.quantiles(self.latency_ms, n=1000, method="inclusive")[min(998, int(q * 1000) - 1)]
