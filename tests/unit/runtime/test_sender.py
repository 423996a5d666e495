import threading

import pytest

from learnflow.events import CloudEventMessage
from learnflow.local.manifests import Delivery, KafkaSink
from learnflow.local.runtime.policy import DeliveryVerdict
from learnflow.local.runtime.sender import Sender
from learnflow.local.runtime.transport import HttpAnswer, TransportConnectionError, TransportTimeout

SINK = KafkaSink(name="dlq", namespace="learnflow", topic="t.dlq", bootstrap_servers=("b:9092",))
MESSAGE = CloudEventMessage({"specversion": "1.0", "id": "1", "type": "t", "source": "/s"}, b"{}")


class ScriptedTransport:
    """Answers each POST with the next scripted status, or raises the scripted failure."""

    def __init__(self, statuses):
        self.statuses, self.seen = statuses, []

    def post(self, url, headers, body, timeout):
        self.seen.append({k.lower(): v for k, v in headers.items()})
        status = self.statuses[min(len(self.seen) - 1, len(self.statuses) - 1)]
        if isinstance(status, Exception):
            raise status
        return HttpAnswer(status, {}, b"body")

    def close(self):
        pass


def _sender(transport, retry=3, stop=None, policy="exponential", delay=0.001):
    delivery = Delivery(retry=retry, backoff_policy=policy, backoff_delay=delay, timeout=1.0, dead_letter_sink=SINK)
    return Sender(
        "http://fn/",
        delivery,
        function="fn",
        topic="t",
        consumer_group="g",
        namespace="learnflow",
        transport=transport,
        stop=stop,
    )


def _scripted(statuses):
    transport = ScriptedTransport(statuses)
    return transport, transport.seen


def test_success_needs_one_attempt_and_sends_binary_mode_with_knative_headers():
    handler, seen = _scripted([200])
    result = _sender(handler).deliver(MESSAGE)
    assert result.verdict is DeliveryVerdict.DELIVERED and result.attempts == 1
    assert seen[0]["ce-id"] == "1" and seen[0]["kn-namespace"] == "learnflow"
    assert seen[0]["prefer"] == "reply"


def test_retryable_failures_are_retried_then_succeed():
    handler, _seen = _scripted([503, 429, 200])
    result = _sender(handler).deliver(MESSAGE)
    assert result.verdict is DeliveryVerdict.DELIVERED and result.attempts == 3


def test_retry_budget_exhausted_means_dead_letter_after_retry_plus_one_attempts():
    handler, seen = _scripted([500])
    result = _sender(handler, retry=3).deliver(MESSAGE)
    assert result.verdict is DeliveryVerdict.DEAD_LETTER and len(seen) == 4 and result.last.status == 500


def test_non_retryable_status_is_dead_lettered_at_once():
    handler, seen = _scripted([400, 200])
    result = _sender(handler).deliver(MESSAGE)
    assert result.verdict is DeliveryVerdict.DEAD_LETTER and len(seen) == 1


def test_timeouts_and_connection_errors_are_retried():
    handler, seen = _scripted([TransportTimeout("slow"), TransportConnectionError("refused"), 200])
    result = _sender(handler).deliver(MESSAGE)
    assert result.verdict is DeliveryVerdict.DELIVERED and len(seen) == 3


def test_stop_during_backoff_abandons_the_event_undecided():
    stop = threading.Event()
    stop.set()
    handler, seen = _scripted([500])
    result = _sender(handler, stop=stop).deliver(MESSAGE)
    assert result.stopped and len(seen) == 1


class _RecordingStop(threading.Event):
    """A stop event that is never set and notes each wait instead of waiting."""

    def __init__(self):
        super().__init__()
        self.waits = []

    def wait(self, timeout=None):
        self.waits.append(timeout)
        return False


@pytest.mark.parametrize(("policy", "waits"), [("exponential", [1.0, 2.0, 4.0]), ("linear", [0.5, 1.0, 1.5])])
def test_retries_wait_as_knatives_kafka_dispatcher_does(policy, waits):
    stop = _RecordingStop()
    handler, _ = _scripted([500])
    _sender(handler, retry=3, stop=stop, policy=policy, delay=0.5).deliver(MESSAGE)
    assert stop.waits == waits  # backoffDelay * 2^k (or * k) before retry k: PT0.5S is the seed's 1 s, 2 s, 4 s
