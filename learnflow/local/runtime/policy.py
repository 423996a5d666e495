"""Knative's delivery policy as pure functions: what a status means, what to record.

The Kafka dispatcher's table (DESIGN §3): 2xx is success; 5xx, 404, 408, 409 and 429
are retried, and so are timeouts and connection errors; every other status (3xx and
the remaining 4xx) goes to the dead-letter sink at once, without backoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from learnflow.local._metrics import ErrorReason

RETRYABLE_CLIENT_ERRORS = frozenset({404, 408, 409, 429})


class DeliveryVerdict(Enum):
    """What the delivery layer does with an event after an attempt."""

    DELIVERED = "delivered"
    RETRY = "retry"
    DEAD_LETTER = "dead_letter"


@dataclass(frozen=True)
class Attempt:
    """The outcome of one HTTP delivery: a response, or the reason there was none."""

    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    failure: ErrorReason | None = None  # TIMEOUT or CONNECTION when status is None
    detail: str = ""

    @property
    def verdict(self) -> DeliveryVerdict:
        if self.status is None:
            return DeliveryVerdict.RETRY
        return verdict_for_status(self.status)

    @property
    def error_reason(self) -> ErrorReason | None:
        """The ``kafka_consumer_errors`` reason of this attempt, None on success."""
        if self.status is None:
            return self.failure or ErrorReason.CONNECTION
        verdict = verdict_for_status(self.status)
        if verdict is DeliveryVerdict.DELIVERED:
            return None
        return ErrorReason.RETRYABLE_STATUS if verdict is DeliveryVerdict.RETRY else ErrorReason.NON_RETRYABLE_STATUS

    @property
    def outcome_label(self) -> str:
        """The ``outcome`` label of ``learnflow_function_requests``: 2xx, 4xx, 5xx, timeout..."""
        if self.status is None:
            return (self.failure or ErrorReason.CONNECTION).value
        return f"{self.status // 100}xx"


def verdict_for_status(status: int) -> DeliveryVerdict:
    if 200 <= status < 300:
        return DeliveryVerdict.DELIVERED
    if status >= 500 or status in RETRYABLE_CLIENT_ERRORS:
        return DeliveryVerdict.RETRY
    return DeliveryVerdict.DEAD_LETTER


def backoff_delay(policy: str, delay: float, retry: int) -> float:
    """Seconds before retry ``retry`` (1-based), as the Kafka dispatcher computes it.

    Exponential is ``delay * 2**retry`` (so PT0.5S gives 1 s, 2 s, 4 s); linear is
    ``delay * retry``.
    """
    if retry < 1:
        raise ValueError("retries are numbered from 1")
    return delay * retry if policy == "linear" else delay * 2**retry
