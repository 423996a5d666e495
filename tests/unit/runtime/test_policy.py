import pytest

from learnflow.local._metrics import ErrorReason
from learnflow.local.runtime.policy import Attempt, DeliveryVerdict, backoff_delay, verdict_for_status


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_2xx_is_delivered(status):
    assert verdict_for_status(status) is DeliveryVerdict.DELIVERED


@pytest.mark.parametrize("status", [500, 502, 503, 504, 599, 404, 408, 409, 429])
def test_5xx_and_the_four_retryable_4xx_are_retried(status):
    assert verdict_for_status(status) is DeliveryVerdict.RETRY


@pytest.mark.parametrize("status", [400, 401, 403, 405, 410, 413, 415, 422, 301, 302, 304])
def test_other_4xx_and_3xx_go_straight_to_the_dead_letter_sink(status):
    assert verdict_for_status(status) is DeliveryVerdict.DEAD_LETTER


def test_exponential_backoff_from_pt0_5s_is_the_seeds_1_2_4_seconds():
    assert [backoff_delay("exponential", 0.5, k) for k in (1, 2, 3)] == [1.0, 2.0, 4.0]


def test_linear_backoff_is_delay_times_retry():
    assert [backoff_delay("linear", 0.5, k) for k in (1, 2, 3)] == [0.5, 1.0, 1.5]


def test_retries_are_numbered_from_one():
    with pytest.raises(ValueError):
        backoff_delay("exponential", 1.0, 0)


@pytest.mark.parametrize(
    "attempt,reason,label",
    [
        (Attempt(200), None, "2xx"),
        (Attempt(503), ErrorReason.RETRYABLE_STATUS, "5xx"),
        (Attempt(429), ErrorReason.RETRYABLE_STATUS, "4xx"),
        (Attempt(400), ErrorReason.NON_RETRYABLE_STATUS, "4xx"),
        (Attempt(failure=ErrorReason.TIMEOUT), ErrorReason.TIMEOUT, "timeout"),
        (Attempt(failure=ErrorReason.CONNECTION), ErrorReason.CONNECTION, "connection"),
    ],
)
def test_each_attempt_maps_to_one_error_reason_and_outcome_label(attempt, reason, label):
    assert attempt.error_reason == reason
    assert attempt.outcome_label == label


def test_an_attempt_without_response_is_retried():
    assert Attempt(failure=ErrorReason.TIMEOUT).verdict is DeliveryVerdict.RETRY
