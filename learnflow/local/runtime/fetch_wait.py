"""How long a fetch may wait at the broker: short for latency, raised when the broker starves.

A consumer that is behind (its position below the partition's high watermark) yet gets
nothing back poll after poll is being starved by the broker, not idle. The embedded broker
does exactly that once a topic grows: Tansu's in-memory store lists every batch of the
partition on each fetch and answers *nothing* when the fetch's max wait runs out before the
listing reaches the offset asked for. With a 5 ms wait that happens after a few thousand
batches on a busy two-core machine, and from then on the consumer polls empty forever.

So the wait starts short (idle latency on Tansu is about half of it) and doubles each time
the consumer has been starved for ``patience_s``, up to ``ceiling_ms``. It never comes back
down: an in-memory topic only grows, and Apache Kafka answers as soon as data arrives, so a
longer wait costs it nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

CEILING_MS = 500  # Apache Kafka's own default fetch.max.wait.ms
# Starved this long (twenty empty polls) before the wait is raised. A consumer cannot tell a
# starving broker from one that stopped answering, so an outage longer than this raises the
# wait too; on Tansu that costs about a millisecond of idle latency per raise.
PATIENCE_S = 2.0


@dataclass
class FetchWait:
    """The fetch wait of one consumer, fed one observation per poll."""

    current_ms: int
    ceiling_ms: int = CEILING_MS
    patience_s: float = PATIENCE_S
    _starved_since: float | None = None

    def observe(self, now: float, *, received: bool, behind: bool) -> int | None:
        """Note one poll's outcome; return the new wait in ms when it must be raised."""
        if received or not behind:
            self._starved_since = None
            return None
        if self._starved_since is None:
            self._starved_since = now
            return None
        if now - self._starved_since < self.patience_s or self.current_ms >= self.ceiling_ms:
            return None
        self.current_ms = min(self.ceiling_ms, max(1, self.current_ms) * 2)
        self._starved_since = now  # give the new wait its own full patience
        return self.current_ms

    def interrupted(self) -> None:
        """The consumer did not poll (backpressure) or lost its broker: that is not starvation."""
        self._starved_since = None
