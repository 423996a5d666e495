from learnflow.local.soak.ledger import Ledger


def test_each_event_is_delivered_duplicated_dead_lettered_or_lost():
    ledger = Ledger()
    for i, at in (("once", 1.0), ("twice", 1.0), ("dead", 1.0), ("dead-late", 1.0), ("lost", 1.0)):
        ledger.record_produced(i, at)
    ledger.record_accepted("once", 1.010)
    ledger.record_accepted("twice", 1.020)
    ledger.record_accepted("twice", 1.500)
    ledger.record_dead_letter("dead", "HTTP 500")
    ledger.record_accepted("dead-late", 1.050)
    ledger.record_dead_letter("dead-late", "no response (timeout or connection error)")
    ledger.record_accepted("not-ours", 2.0)  # a follow-up event the soak did not produce
    s = ledger.summary()
    assert (s.produced, s.delivered) == (5, 3)
    assert (s.delivered_more_than_once, s.duplicate_deliveries) == (1, 1)
    assert dict(s.dead_lettered) == {"HTTP 500": 1, "no response (timeout or connection error)": 1}
    assert s.dead_lettered_after_delivery == 1
    assert s.lost == ["lost"]
    assert [round(v) for v in s.latency_ms] == [10, 20, 50]  # first acceptance only


def test_percentiles():
    ledger = Ledger()
    for i in range(100):
        ledger.record_produced(str(i), 0.0)
        ledger.record_accepted(str(i), (i + 1) / 1000)
    s = ledger.summary()
    assert round(s.percentile(0.5)) == 50 and round(s.percentile(0.99)) == 99
    assert Ledger().summary().percentile(0.5) is None
