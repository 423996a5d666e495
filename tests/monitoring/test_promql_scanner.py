"""The scanner the dashboard and rule checks rely on finds exactly the metric names."""

import pytest

from .promql import exposed_names, metric_names


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ('sum by (topic) (rate(kafka_messages_total{topic=~"$topic"}[$__rate_interval]))', {"kafka_messages_total"}),
        ("histogram_quantile(0.95, sum by (le, topic) (rate(x_bucket[5m])))", {"x_bucket"}),
        ('a > 0\nand on (topic)\nsum by (topic) (increase(b{reason="dead_lettered"}[15m])) > 0', {"a", "b"}),
        ("sum(increase(c[5m])) / ignoring (job) d", {"c", "d"}),
    ],
)
def test_metric_names(expr, names):
    assert metric_names(expr) == names


def test_exposed_names_carry_the_client_suffixes():
    names = exposed_names()
    assert {"kafka_consumer_lag", "kafka_messages_total", "kafka_consumer_errors_total"} <= names
    assert "learnflow_delivery_latency_seconds_bucket" in names
    assert "kafka_consumer_errors" not in names  # a counter is only scraped with _total
