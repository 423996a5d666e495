from learnflow.local.runtime.fetch_wait import CEILING_MS, FetchWait


def starve(wait: FetchWait, start: float, seconds: float, step: float = 0.1) -> list[int]:
    """Empty polls while behind, every ``step`` seconds; the waits raised on the way."""
    raised = []
    for i in range(round(seconds / step) + 1):
        new = wait.observe(round(start + i * step, 6), received=False, behind=True)
        if new is not None:
            raised.append(new)
    return raised


def test_a_consumer_starved_for_its_patience_doubles_its_wait():
    wait = FetchWait(5, patience_s=1.0)
    assert starve(wait, 0.0, 0.95) == []
    assert wait.observe(1.0, received=False, behind=True) == 10
    assert wait.current_ms == 10


def test_each_raise_gets_its_own_full_patience():
    wait = FetchWait(5, patience_s=1.0)
    assert starve(wait, 0.0, 3.0) == [10, 20, 40]


def test_records_or_an_idle_partition_are_not_starvation():
    wait = FetchWait(5, patience_s=1.0)
    for i in range(50):
        t = i * 0.1
        assert wait.observe(t, received=i % 5 == 0, behind=True) is None  # records now and then
    for i in range(50, 100):
        assert wait.observe(i * 0.1, received=False, behind=False) is None  # caught up: idle
    assert wait.current_ms == 5


def test_an_interruption_restarts_the_patience():
    wait = FetchWait(5, patience_s=1.0)
    starve(wait, 0.0, 0.9)
    wait.interrupted()  # backpressure or a lost broker, not the broker starving us
    assert wait.observe(1.0, received=False, behind=True) is None
    assert wait.observe(1.5, received=False, behind=True) is None
    assert wait.observe(2.0, received=False, behind=True) == 10


def test_the_wait_stops_at_the_ceiling_and_never_comes_down():
    wait = FetchWait(100, patience_s=1.0)
    raised = starve(wait, 0.0, 10.0)
    assert raised == [200, 400, CEILING_MS]
    assert wait.observe(20.0, received=True, behind=True) is None and wait.current_ms == CEILING_MS


def test_a_zero_wait_still_rises():
    # Tansu answers nothing at all to a fetch with no wait: the guard must still escape it.
    wait = FetchWait(0, patience_s=2.0)
    assert starve(wait, 0.0, 4.5)[:2] == [2, 4]
