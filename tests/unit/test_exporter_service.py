"""The exporter service over a fake offset source: metrics written, failures survived, stop."""

import threading
import time
import uuid

import pytest
from prometheus_client import REGISTRY

from learnflow.events import ConfigurationError
from learnflow.local.exporter import OffsetsExporter, OffsetsReadError, OffsetsSnapshot, Watch


class FakeSource:
    """Returns queued snapshots (or raises queued errors), then repeats the last one."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.closed = 0

    def read(self):
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return step

    def close(self):
        self.closed += 1


def value(name, **labels):
    return REGISTRY.get_sample_value(name, labels)


@pytest.fixture
def topic():
    return f"t-{uuid.uuid4().hex[:8]}"


def test_readings_land_in_the_metrics_with_the_seed_names(topic):
    dlq = topic + ".dlq"
    source = FakeSource(
        OffsetsSnapshot({(topic, 0): 5, (dlq, 0): 1}, {(dlq, 0): 0}, {"g": {(topic, 0): 5}}),
        OffsetsSnapshot({(topic, 0): 9, (dlq, 0): 3}, {(dlq, 0): 0}, {"g": {(topic, 0): 6}}),
    )
    clock = iter([0.0, 2.0]).__next__
    exporter = OffsetsExporter(watch=Watch.of([topic]), source_factory=lambda: source, clock=clock)
    exporter.read_once()
    assert value("kafka_consumer_lag", topic=topic, partition="0", consumer_group="g") == 0
    assert value("kafka_messages_total", topic=topic) == 0  # baseline
    assert value("kafka_consumer_errors_total", topic=topic, reason="dead_lettered") == 0
    exporter.read_once()
    assert value("kafka_consumer_lag", topic=topic, partition="0", consumer_group="g") == 3
    assert value("kafka_messages_total", topic=topic) == 4
    assert value("kafka_messages_per_second", topic=topic) == 2.0
    assert value("kafka_consumer_errors_total", topic=topic, reason="dead_lettered") == 2
    assert value("learnflow_dlq_depth", topic=topic) == 3


def test_a_group_that_stops_committing_loses_its_series(topic):
    source = FakeSource(
        OffsetsSnapshot({(topic, 0): 5}, {}, {"gone": {(topic, 0): 1}}),
        OffsetsSnapshot({(topic, 0): 5}, {}, {}),
    )
    exporter = OffsetsExporter(watch=Watch.of([topic]), source_factory=lambda: source)
    exporter.read_once()
    assert value("kafka_consumer_lag", topic=topic, partition="0", consumer_group="gone") == 4
    exporter.read_once()
    assert value("kafka_consumer_lag", topic=topic, partition="0", consumer_group="gone") is None


def test_a_failed_read_is_counted_keeps_the_last_figures_and_reconnects(topic):
    ok = OffsetsSnapshot({(topic, 0): 5}, {}, {"g": {(topic, 0): 1}})
    source = FakeSource(ok, OffsetsReadError("broker down"), ok)
    made = []
    exporter = OffsetsExporter(watch=Watch.of([topic]), source_factory=lambda: made.append(1) or source)
    errors_before = value("learnflow_exporter_read_errors_total") or 0
    assert exporter.read_once() is not None
    assert exporter.read_once() is None
    assert value("learnflow_exporter_read_errors_total") == errors_before + 1
    assert value("kafka_consumer_lag", topic=topic, partition="0", consumer_group="g") == 4
    assert source.closed == 1
    assert exporter.read_once() is not None
    assert len(made) == 2  # reconnected after the failure


def test_a_source_that_cannot_connect_is_retried():
    def refuse():
        raise OffsetsReadError("cannot connect")

    exporter = OffsetsExporter(watch=Watch.of(["x"]), source_factory=refuse)
    assert exporter.read_once() is None
    assert exporter.read_once() is None


def test_start_reads_in_the_background_and_stop_closes_the_source(topic):
    source = FakeSource(OffsetsSnapshot({(topic, 0): 1}, {}, {}))
    exporter = OffsetsExporter(watch=Watch.of([topic]), source_factory=lambda: source, interval_s=0.01)
    with exporter:
        deadline = time.monotonic() + 10
        while exporter.reads < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert exporter.reads >= 3
    assert source.closed == 1
    assert not [t for t in threading.enumerate() if t.name == "learnflow-offsets-exporter"]


def test_configuration_is_checked_up_front():
    with pytest.raises(ConfigurationError, match="settings"):
        OffsetsExporter()
    with pytest.raises(ConfigurationError, match="interval"):
        OffsetsExporter(source_factory=FakeSource, interval_s=0)


def test_constructing_the_exporter_connects_nothing():
    # Construction connects nothing either: the factory is only called by a read.
    calls = []
    OffsetsExporter(watch=Watch.of(["x"]), source_factory=lambda: calls.append(1))
    assert calls == []
