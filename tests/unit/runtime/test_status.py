from learnflow.local.runtime.status import FunctionRow, Snapshot, TopicRow, histogram_quantile, plain


def test_quantile_is_the_upper_bound_of_its_bucket():
    buckets = [(0.01, 90.0), (0.05, 99.0), (0.1, 100.0), (float("inf"), 100.0)]
    assert histogram_quantile(buckets, 0.5) == 0.01
    assert histogram_quantile(buckets, 0.99) == 0.05
    assert histogram_quantile(buckets, 1.0) == 0.1


def test_no_observations_no_quantile():
    assert histogram_quantile([], 0.99) is None
    assert histogram_quantile([(0.1, 0.0), (float("inf"), 0.0)], 0.99) is None


def test_plain_line_names_every_topic_and_function():
    line = plain(Snapshot([TopicRow("learning-events", 5, 4, 1, 2, 1)], [FunctionRow("triage", "running", 0, 4, 0, 3.0)]))
    assert "learning-events in=5 out=4 in_flight=0 lag=1 dlq=1" in line and "triage=running/4" in line


def test_an_unordered_source_shows_its_records_in_flight_against_its_bound_and_when_it_is_full():
    busy = TopicRow("code-submitted", 90, 60, 22, 0, 0, in_flight=8, bound=8)
    calm = TopicRow("code-submitted", 9, 9, 0, 0, 0, in_flight=2, bound=8)
    assert (busy.in_flight_text, calm.in_flight_text) == ("8/8 full", "2/8")
    assert "code-submitted in=90 out=60 in_flight=8/8_full lag=22" in plain(Snapshot([busy], []))
