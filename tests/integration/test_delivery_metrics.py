"""Each delivery failure class lands in kafka_consumer_errors_total under its own reason,
read from a real scrape of /metrics."""

from __future__ import annotations

import time

import httpx
from prometheus_client.parser import text_string_to_metric_families

from learnflow.local._metrics_server import serve_metrics
from learnflow.local._process import free_port
from learnflow.serverless import Publisher

from .test_dispatcher import _FailingFirst


def _scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(httpx.get(url).text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _errors(scrape, topic: str) -> dict[str, float]:
    return {
        dict(labels)["reason"]: v
        for (name, labels), v in scrape.items()
        if name == "kafka_consumer_errors_total" and dict(labels).get("topic") == topic
    }


def _wait(predicate, timeout=40.0):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.1)
    return predicate()


def test_every_failure_class_is_counted_by_reason(scripted_run, kafka):
    from kafka import KafkaProducer

    server = serve_metrics("127.0.0.1:0")
    try:
        # A 1 s timeout against a 2 s sleep: the quick attempts keep a wide margin on a loaded
        # machine, where a 0.3 s bound could count a slow but healthy answer as a timeout.
        run = scripted_run(timeout=1.0)
        made = []

        def factory(settings):
            # The publisher discards a producer after a failed send: the first two it
            # builds refuse their first send, as a dead-letter sink that is down would.
            made.append(1)
            return _FailingFirst(KafkaProducer(**settings.producer_config()), 1 if len(made) <= 2 else 0)

        run.start(dead_letter_publisher=Publisher("dispatcher", settings=kafka, producer_factory=factory))
        run.send({"script": [500, 503, 200]}, key="a")  # 2 retryable statuses, then delivered
        run.send({"script": [422]}, key="b")  # 1 non-retryable, dead-lettered after 2 failed DLQ writes
        run.send({"script": [200, 200], "sleep": 2.0}, key="c")  # every attempt times out: 4 timeouts
        expected = {"retryable_status": 2, "non_retryable_status": 1, "timeout": 4, "dead_letter_write": 2}
        assert _wait(lambda: all(_errors(_scrape(server.url), run.topic).get(k, 0) >= v for k, v in expected.items()))
        got = _errors(_scrape(server.url), run.topic)
        assert {k: got.get(k) for k in expected} == expected

        # Connection errors: a source whose function is not listening.
        dead = scripted_run(retry=1)
        dead.url = f"http://127.0.0.1:{free_port()}/"
        dead.start()
        dead.send({"seq": 1}, key="d")
        assert _wait(lambda: _errors(_scrape(server.url), dead.topic).get("connection", 0) >= 2)
        assert _errors(_scrape(server.url), dead.topic)["connection"] == 2  # the attempt and its one retry
    finally:
        server.stop()
