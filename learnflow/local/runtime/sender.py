"""Delivery of one event with Knative's retries, backoff and per-attempt timeout."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from learnflow.events import CloudEventMessage, to_binary_http
from learnflow.local import _metrics as metrics
from learnflow.local._metrics import ErrorReason
from learnflow.local.manifests import Delivery
from learnflow.local.runtime.policy import Attempt, DeliveryVerdict, backoff_delay
from learnflow.local.runtime.tracing import inject_delivery, note_attempt
from learnflow.local.runtime.transport import KeepAliveTransport, Transport, TransportConnectionError, TransportTimeout


@dataclass(frozen=True)
class DeliveryResult:
    verdict: DeliveryVerdict  # DELIVERED or DEAD_LETTER; RETRY only when stopped mid-way
    last: Attempt
    attempts: int

    @property
    def stopped(self) -> bool:
        return self.verdict is DeliveryVerdict.RETRY


class Sender:
    """Delivers to one sink URL; shared by a dispatcher's workers (each thread keeps its own connection)."""

    def __init__(
        self,
        url: str,
        delivery: Delivery,
        *,
        function: str,
        topic: str,
        consumer_group: str,
        namespace: str,
        transport: Transport | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.url = url
        self.delivery = delivery
        self.function = function
        self.topic = topic
        self.group = consumer_group
        self.namespace = namespace
        self.stop = stop or threading.Event()
        self._transport = transport or KeepAliveTransport()
        # Metric children resolved once: label lookups on every request add up.
        self._requests = {
            o: metrics.FUNCTION_REQUESTS.labels(function, o) for o in ("2xx", "3xx", "4xx", "5xx", "timeout", "connection")
        }
        self._duration = metrics.FUNCTION_DURATION.labels(function)
        self._errors = {r: metrics.CONSUMER_ERRORS.labels(topic, r.value) for r in ErrorReason}
        self._retries = metrics.RETRIES.labels(topic, consumer_group)

    def attempt(self, message: CloudEventMessage, retry: int = 0) -> Attempt:
        headers, body = to_binary_http(message)
        # What Knative's dispatcher adds to each request.
        headers["Prefer"] = "reply"
        headers["Kn-Namespace"] = self.namespace
        # Every attempt carries the record's process span: the function's span is its child.
        inject_delivery(headers)
        started = time.perf_counter()
        try:
            answer = self._transport.post(self.url, headers, body, self.delivery.timeout)
            result = Attempt(answer.status, answer.body, answer.headers)
        except TransportTimeout as exc:
            result = Attempt(failure=ErrorReason.TIMEOUT, detail=str(exc))
        except TransportConnectionError as exc:
            result = Attempt(failure=ErrorReason.CONNECTION, detail=str(exc))
        self._duration.observe(time.perf_counter() - started)
        reason = result.error_reason
        failure = None if reason is None else str(result.status) if result.status else result.outcome_label
        note_attempt(retry, result.status, failure)
        label = result.outcome_label
        (self._requests.get(label) or metrics.FUNCTION_REQUESTS.labels(self.function, label)).inc()
        if reason is not None:
            self._errors[reason].inc()
        return result

    def deliver(self, message: CloudEventMessage) -> DeliveryResult:
        """Attempt, then retry retryable failures after backoff; stop early if asked to."""
        attempt = self.attempt(message)
        attempts = 1
        for retry in range(1, self.delivery.retry + 1):
            if attempt.verdict is not DeliveryVerdict.RETRY:
                break
            delay = backoff_delay(self.delivery.backoff_policy, self.delivery.backoff_delay, retry)
            if self.stop.wait(delay):
                return DeliveryResult(DeliveryVerdict.RETRY, attempt, attempts)
            self._retries.inc()
            attempt = self.attempt(message, retry)
            attempts += 1
        verdict = DeliveryVerdict.DELIVERED if attempt.verdict is DeliveryVerdict.DELIVERED else DeliveryVerdict.DEAD_LETTER
        return DeliveryResult(verdict, attempt, attempts)

    def close(self) -> None:
        self._transport.close()
