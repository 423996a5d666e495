"""KafkaSource semantics of the local dispatcher, against the real broker and a real
functions-framework server that fails on purpose (tests/data/functions/scripted)."""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kafka.errors import KafkaTimeoutError
from prometheus_client import REGISTRY

from learnflow.events import KafkaRecord
from learnflow.serverless import Publisher

from ..support.dispatch import keys_on_distinct_partitions
from ..support.processes import kill_tree, read_until

ROOT = Path(__file__).resolve().parents[2]

BACKOFF = 0.05  # the fixture manifest's backoffDelay: retries after 0.1 s, 0.2 s, 0.4 s
EARLY = 0.01  # seconds a measured wait may fall short of its backoff (clock granularity)
# Only the lower bound is asserted here: a retry never comes before backoffDelay * 2^k. How
# late it may come depends on the machine's load, not on the dispatcher; the exact waits
# (1 s, 2 s, 4 s for PT0.5S) are proven with a recorded clock in tests/unit/runtime/test_sender.py.


def _dlq(kafka_probe, run, event_id, timeout=15.0):
    return kafka_probe.wait_for(f"{run.topic}.dlq", lambda r: r.header_text("ce_id") == event_id, timeout=timeout)


def test_retryable_statuses_are_retried_with_exponential_backoff_then_dead_lettered(scripted_run, kafka_probe):
    run = scripted_run()
    run.start()
    ids = {status: run.send({"script": [status]}, key=f"user-{status}") for status in (500, 503, 404, 408, 409, 429)}
    for status, event_id in ids.items():
        calls = run.wait_calls(lambda c, i=event_id: c["id"] == i, 4)
        assert [c["attempt"] for c in calls] == [1, 2, 3, 4], f"{status}: retry: 3 means 4 attempts"
        gaps = [b["time"] - a["time"] for a, b in itertools.pairwise(calls)]
        for k, gap in enumerate(gaps, start=1):
            expected = BACKOFF * 2**k
            assert gap >= expected - EARLY, f"{status}: retry {k} after {gap:.3f} s, before its {expected} s backoff"
        [letter] = _dlq(kafka_probe, run, event_id)
        assert letter.header_text("ce_knativeerrorcode") == str(status)
    # Committed means finished: every attempt the dispatcher will ever make is in the log.
    assert sum(run.wait_committed(len(ids)).values()) == len(ids)
    assert len([c for c in run.calls() if c["id"] in ids.values()]) == 24, "no attempt after dead-lettering"


@pytest.mark.parametrize("status", [400, 413, 422])
def test_non_retryable_status_goes_to_the_dead_letter_sink_at_once(scripted_run, kafka_probe, status):
    run = scripted_run()
    run.start()
    event_id = run.send({"script": [status, 200]})
    [letter] = _dlq(kafka_probe, run, event_id)
    assert letter.header_text("ce_knativeerrorcode") == str(status)
    assert len(run.wait_calls(lambda c: c["id"] == event_id, 1)) == 1


def test_success_after_failures_is_delivered_and_not_dead_lettered(scripted_run, kafka_probe):
    run = scripted_run()
    run.start()
    event_id = run.send({"script": [500, 503, 200]})
    assert [c["status"] for c in run.wait_calls(lambda c: c["id"] == event_id, 3)] == [500, 503, 200]
    assert run.wait_committed(1) and sum(run.committed().values()) == 1
    assert not kafka_probe.wait_for(f"{run.topic}.dlq", lambda r: True, timeout=0.5)


def test_a_slow_function_times_out_per_attempt_and_is_dead_lettered_without_status(scripted_run, kafka_probe):
    run = scripted_run(retry=1, timeout=0.3)
    run.start()
    event_id = run.send({"script": [200], "sleep": 1.0})
    [letter] = _dlq(kafka_probe, run, event_id, timeout=20)
    assert len(run.calls()) == 2  # one retry after a timeout
    assert letter.header("ce_knativeerrorcode") is None
    assert letter.header_text("ce_knativeerrordest") == run.url


def test_dead_letter_is_the_original_event_plus_knative_error_extensions(scripted_run, kafka_probe):
    run = scripted_run()
    run.start()
    event_id = run.send({"script": [422], "seq": 7}, key="user-42")
    [letter] = _dlq(kafka_probe, run, event_id)
    assert letter.key == b"user-42"
    assert json.loads(letter.value) == {"script": [422], "seq": 7}
    assert letter.header_text("ce_type") == "test.scripted" and letter.header_text("ce_source") == "/tests"
    assert letter.header_text("ce_knativeerrordest") == run.url
    assert letter.header_text("ce_knativeerrorcode") == "422"
    assert json.loads(base64.b64decode(letter.header_text("ce_knativeerrordata"))) == {"answer": 422}
    assert letter.header_text("ce_reason") == "scripted 422"  # from the function's kne-reason header


def test_order_is_kept_per_partition_while_one_event_is_failing(scripted_run):
    run = scripted_run()
    run.start()
    slow_key, other_key, _ = keys_on_distinct_partitions(3)
    run.send({"script": [500, 500, 200], "seq": 0, "user": slow_key}, key=slow_key)
    for seq in range(1, 6):
        run.send({"seq": seq, "user": slow_key}, key=slow_key)
    run.send({"seq": 100, "user": other_key}, key=other_key)
    calls = run.wait_calls(lambda c: c["user"] == slow_key, 8)
    assert [c["seq"] for c in calls] == [0, 0, 0, 1, 2, 3, 4, 5]
    [other] = run.wait_calls(lambda c: c["user"] == other_key, 1)
    first_success = calls[2]["time"]
    assert other["time"] < first_success, "another partition is not blocked by the failing one"


def test_a_record_that_is_not_a_cloudevent_is_wrapped_like_kafkasource(scripted_run):
    run = scripted_run()
    run.start()
    run.publisher.send_record(run.topic, KafkaRecord(b"user-plain", json.dumps({"seq": 1, "user": "plain"}).encode(), []))
    [call] = run.wait_calls(lambda c: c["user"] == "plain", 1)
    assert call["type"] == "dev.knative.kafka.event"
    assert call["subject"].startswith("partition:") and "#" in call["subject"]
    assert call["key"] == call["partitionkey"] == "user-plain"


class _FailingFirst:
    """A producer that refuses the first ``n`` sends: a dead-letter sink that is down."""

    def __init__(self, real, n):
        self.real, self.n = real, n

    def send(self, *args, **kwargs):
        if self.n > 0:
            self.n -= 1
            raise KafkaTimeoutError("dead-letter sink unavailable (injected)")
        return self.real.send(*args, **kwargs)

    def flush(self, timeout=None):
        self.real.flush(timeout)

    def close(self, timeout=None):
        self.real.close(timeout)


def test_no_loss_when_the_dead_letter_write_fails_and_then_recovers(scripted_run, kafka_probe, kafka):
    from kafka import KafkaProducer

    run = scripted_run()
    failures = {"left": 4}

    def factory(settings):
        producer = _FailingFirst(KafkaProducer(**settings.producer_config()), failures["left"])
        failures["left"] = 0  # a re-created producer works: the sink came back
        return producer

    run.start(dead_letter_publisher=Publisher("dispatcher", settings=kafka, producer_factory=factory))
    event_id = run.send({"script": [400]})
    [letter] = _dlq(kafka_probe, run, event_id, timeout=20)
    assert letter.header_text("ce_knativeerrorcode") == "400"
    assert sum(run.wait_committed(1).values()) == 1


class _DownSink:
    """A producer whose every send fails: a dead-letter sink that stays down. Counts the tries."""

    def __init__(self, tries):
        self.tries = tries

    def send(self, *args, **kwargs):
        self.tries.append(time.monotonic())
        raise KafkaTimeoutError("dead-letter sink unavailable (injected)")

    def flush(self, timeout=None):
        pass

    def close(self, timeout=None):
        pass


def _until(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_offset_is_not_committed_while_the_dead_letter_sink_is_down(scripted_run, kafka):
    run = scripted_run()
    tries = []
    down = Publisher("dispatcher", settings=kafka, producer_factory=lambda s: _DownSink(tries))
    dispatcher = run.start(dead_letter_publisher=down)
    event_id = run.send({"script": [400]})
    run.wait_calls(lambda c: c["id"] == event_id, 1)
    assert _until(lambda: len(tries) >= 3), "the dead-letter write is tried again and again"
    assert sum(run.committed().values()) == 0
    dispatcher.stop()
    assert sum(run.committed().values()) == 0, "a graceful stop does not commit unfinished work"


def test_graceful_stop_leaves_unfinished_work_for_the_next_start(scripted_run):
    run = scripted_run(backoff_delay=2.0)
    first = run.start()
    event_id = run.send({"script": [500, 200]})
    run.wait_calls(lambda c: c["id"] == event_id, 1)
    first.stop()  # during the 4 s backoff
    assert sum(run.committed().values()) == 0
    run.start()
    calls = run.wait_calls(lambda c: c["id"] == event_id, 2)
    # Redelivered by the second dispatcher (the function counts attempts across both runs).
    assert [c["status"] for c in calls] == [500, 200]
    assert sum(run.wait_committed(1).values()) == 1


def test_unordered_source_delivers_concurrently(scripted_run):
    run = scripted_run()
    import dataclasses

    run.source = dataclasses.replace(run.source, ordering="unordered")
    run.start()
    ids = [run.send({"sleep": 0.5, "seq": i, "user": "same"}, key="same") for i in range(6)]
    calls = run.wait_calls(lambda c: c["id"] in ids, 6)
    assert sorted(c["id"] for c in calls) == sorted(ids), "each delivered once"
    # Each call takes 0.5 s from its start: one delivered in order would start only after the
    # previous one answered, so a start within 0.5 s of another's means they overlapped.
    starts = sorted(c["time"] for c in calls)
    assert any(b - a < 0.5 for a, b in itertools.pairwise(starts)), "calls on one key ran at the same time"


def test_an_unordered_dispatcher_that_crashes_loses_nothing_and_repeats_only_what_was_past_its_commit(scripted_run):
    # One partition: one commit point to follow; 10 s per attempt: the slow record is not retried.
    run = scripted_run(partitions=1, timeout=10.0)
    run.source = dataclasses.replace(run.source, ordering="unordered")
    argv = [sys.executable, "-m", "tests.support.dispatcher_child", run.kafka.bootstrap_servers]
    argv += [run.kafka.broker_kind.value, run.topic, run.group, run.url, "unordered", "10"]
    child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        read_until(child, "started", "the dispatcher's process")
        done = [run.send({"seq": i, "user": "crash"}, key="crash") for i in range(4)]
        assert run.wait_committed(4) == {0: 4}, "the first four finished and were committed"
        slow = run.send({"seq": 4, "user": "crash", "sleep": 3.0}, key="crash")
        after = [run.send({"seq": i, "user": "crash"}, key="crash") for i in range(5, 8)]
        run.wait_calls(lambda c: c["id"] in after, 3)
        run.wait_calls(lambda c: c["id"] == slow, 1)
        time.sleep(0.5)  # several commit intervals: whatever could be committed, was
        assert run.committed() == {0: 4}, "nothing at or past the slow record is committed while it runs"
    finally:
        kill_tree(child)  # SIGKILL in the middle of the slow delivery: a crash, no commit on the way out
    before = len(run.calls())
    run.start()
    assert run.wait_committed(8, timeout=30) == {0: 8}, "everything finished after the restart"
    again = [c["id"] for c in run.calls()[before:]]
    # Repeated: the record in flight and those past it (finished, but above the commit point);
    # never a record below the commit point.
    assert sorted(again) == sorted([slow, *after]), again
    assert not set(again) & set(done)


def test_a_function_restarted_mid_stream_loses_nothing(scripted_run, scripted_function, kafka_probe):
    server, _ = scripted_function
    run = scripted_run(backoff_delay=0.5)  # retries after 1 s, 2 s, 4 s: room for a restart
    run.start()
    # 0.1 s per call: the stream is still flowing when the function is killed.
    ids = [run.send({"seq": i, "user": "restart", "sleep": 0.1}, key="restart") for i in range(20)]
    run.wait_calls(lambda c: c["user"] == "restart", 5)
    server.stop()  # killed mid-stream: deliveries now fail to connect
    refused = {"topic": run.topic, "reason": "connection"}
    assert _until(lambda: (REGISTRY.get_sample_value("kafka_consumer_errors_total", refused) or 0) > 0)
    server.start()  # back on the same port
    assert sum(run.wait_committed(20, timeout=30).values()) == 20, "every event finished"
    assert not kafka_probe.wait_for(f"{run.topic}.dlq", lambda r: True, timeout=0.5), "none dead-lettered"
    # The call cut by the kill may be in the log twice: the dispatcher delivered it again.
    calls = [c for c in run.calls() if c["user"] == "restart" and c["status"] == 200]
    assert {c["id"] for c in calls} == set(ids), "every event delivered"
    assert [c["seq"] for c in calls] == sorted(c["seq"] for c in calls), "order kept across the restart"


def test_a_backlog_larger_than_the_buffer_is_drained_completely(scripted_run):
    run = scripted_run()
    ids = [run.send({"seq": i, "user": "backlog"}, key=f"k{i % 7}") for i in range(150)]
    run.start(buffer_limit=10)  # backpressure kicks in many times
    calls = run.wait_calls(lambda c: c["user"] == "backlog", 150, timeout=60)
    assert {c["id"] for c in calls} == set(ids)
    assert sum(run.wait_committed(150).values()) == 150
