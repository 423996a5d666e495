import pytest

from learnflow.local._backoff import Backoff


def test_waits_double_from_the_first_up_to_the_ceiling():
    backoff = Backoff(first=0.2, ceiling=5.0)
    assert [backoff.next_delay() for _ in range(7)] == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0]
    assert backoff.failures == 7


def test_reset_after_a_success_starts_again_from_the_first_wait():
    backoff = Backoff(first=0.5, ceiling=10.0)
    for _ in range(4):
        backoff.next_delay()
    backoff.reset()
    assert backoff.failures == 0
    assert backoff.next_delay() == 0.5


def test_a_ceiling_equal_to_the_first_wait_is_a_constant_wait():
    backoff = Backoff(first=0.2, ceiling=0.2)
    assert {backoff.next_delay() for _ in range(5)} == {0.2}


def test_thousands_of_failures_stay_at_the_ceiling():
    backoff = Backoff(first=0.2, ceiling=5.0)
    for _ in range(5000):
        delay = backoff.next_delay()
    assert delay == 5.0


@pytest.mark.parametrize(("first", "ceiling", "factor"), [(1.0, 0.5, 2.0), (-0.1, 1.0, 2.0), (0.1, 1.0, 0.5)])
def test_a_schedule_that_would_shrink_is_refused(first, ceiling, factor):
    with pytest.raises(ValueError, match="backoff needs"):
        Backoff(first=first, ceiling=ceiling, factor=factor)
