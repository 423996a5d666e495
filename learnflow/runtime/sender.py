"""HTTP delivery of one event with Knative's retries, backoff and per-attempt timeout."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from .. import metrics
from ..manifests import Delivery
from ..metrics import ErrorReason
from .events import CloudEventMessage
from .policy import Attempt, Verdict, backoff_delay

log = logging.getLogger(__name__)

OnAttempt = Callable[[Attempt, float], None]


@dataclass(frozen=True)
class DeliveryResult:
    verdict: Verdict  # DELIVERED or DEAD_LETTER; RETRY only when stopped mid-way
    last: Attempt
    attempts: int

    @property
    def stopped(self) -> bool:
        return self.verdict is Verdict.RETRY


class Sender:
    """Delivers to one sink URL; shared by a dispatcher's workers (httpx.Client is thread-safe)."""

    def __init__(
        self,
        url: str,
        delivery: Delivery,
        *,
        function: str,
        topic: str,
        consumer_group: str,
        namespace: str,
        client: httpx.Client | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.url = url
        self.delivery = delivery
        self.function = function
        self.topic = topic
        self.group = consumer_group
        self.namespace = namespace
        self.stop = stop or threading.Event()
        self._client = client or httpx.Client(limits=httpx.Limits(max_connections=64, max_keepalive_connections=16))

    def attempt(self, message: CloudEventMessage) -> Attempt:
        headers, body = message.to_http()
        # What Knative's dispatcher adds to each request.
        headers["Prefer"] = "reply"
        headers["Kn-Namespace"] = self.namespace
        started = time.perf_counter()
        try:
            response = self._client.post(self.url, headers=headers, content=body, timeout=self.delivery.timeout)
            result = Attempt(response.status_code, response.content, dict(response.headers))
        except httpx.TimeoutException as exc:
            result = Attempt(failure=ErrorReason.TIMEOUT, detail=f"no answer within {self.delivery.timeout:g} s ({type(exc).__name__})")
        except httpx.TransportError as exc:
            result = Attempt(failure=ErrorReason.CONNECTION, detail=f"{type(exc).__name__}: {exc}")
        elapsed = time.perf_counter() - started
        metrics.FUNCTION_REQUESTS.labels(self.function, result.outcome_label).inc()
        metrics.FUNCTION_DURATION.labels(self.function).observe(elapsed)
        reason = result.error_reason
        if reason is not None:
            metrics.CONSUMER_ERRORS.labels(self.topic, reason.value).inc()
        return result

    def deliver(self, message: CloudEventMessage) -> DeliveryResult:
        """Attempt, then retry retryable failures after backoff; stop early if asked to."""
        attempt = self.attempt(message)
        attempts = 1
        for retry in range(1, self.delivery.retry + 1):
            if attempt.verdict is not Verdict.RETRY:
                break
            delay = backoff_delay(self.delivery.backoff_policy, self.delivery.backoff_delay, retry)
            if self.stop.wait(delay):
                return DeliveryResult(Verdict.RETRY, attempt, attempts)
            metrics.RETRIES.labels(self.topic, self.group).inc()
            attempt = self.attempt(message)
            attempts += 1
        verdict = Verdict.DELIVERED if attempt.verdict is Verdict.DELIVERED else Verdict.DEAD_LETTER
        return DeliveryResult(verdict, attempt, attempts)

    def close(self) -> None:
        self._client.close()
