"""Growing waits between attempts at something that keeps failing.

One schedule for the local toolkit's own retries (reconnecting a consumer, writing a
dead letter, reaching the broker, restarting a function): ``first`` seconds, then
``factor`` times longer after each failure, never more than ``ceiling``. Delivery
retries to a function are not among them: those follow Knative's schedule exactly
(``runtime.policy.backoff_delay``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Backoff:
    """The wait before the next attempt; ``reset()`` once an attempt succeeds."""

    first: float
    ceiling: float
    factor: float = 2.0
    failures: int = 0  # since the last reset
    _next: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 <= self.first <= self.ceiling or self.factor < 1:
            raise ValueError(f"backoff needs 0 <= first <= ceiling and factor >= 1, got {self}")
        self._next = self.first

    def next_delay(self) -> float:
        """Count one failure; seconds to wait before trying again."""
        delay = self._next
        # Grown step by step, not as first * factor**failures: that overflows a float after
        # about a thousand failures, which a sink down for an hour reaches.
        self._next = min(self.ceiling, delay * self.factor)
        self.failures += 1
        return delay

    def reset(self) -> None:
        self._next = self.first
        self.failures = 0
