"""`learnflow monitor`: serves the exporter's /metrics from any Kafka; stops on SIGTERM or Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid

import httpx
import pytest
from kafka import KafkaProducer

from learnflow.local._admin import ensure_topics
from learnflow.local._process import free_port, port_open


def _learnflow(*args: str) -> list[str]:
    return [sys.executable, "-c", "from learnflow.local.cli import main; main()", *args]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_monitor_serves_metrics_and_stops_on_a_signal(kafka, tmp_path, sig):
    topic = f"mon-{uuid.uuid4().hex[:8]}"
    group = f"g-{uuid.uuid4().hex[:6]}"
    ensure_topics(kafka, {topic: 1, topic + ".dlq": 1})
    port = free_port()
    log = tmp_path / "monitor.log"
    env_args = ["monitor", "--topic", topic, "--group", f"{group}={topic}", "--listen", f"127.0.0.1:{port}", "--interval", "0.2"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            _learnflow(*env_args),
            env={"KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers, "PATH": "/usr/bin:/bin"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        producer = KafkaProducer(**kafka.producer_config())
        try:
            for i in range(4):
                producer.send(topic, f"r{i}".encode(), partition=0)
            producer.flush(10)
        finally:
            producer.close()
        # A named group with topics shows its whole backlog before it ever commits.
        want = f'kafka_consumer_lag{{consumer_group="{group}",partition="0",topic="{topic}"}} 4.0'
        deadline = time.monotonic() + 20
        text = ""
        while want not in text and time.monotonic() < deadline and proc.poll() is None:
            if port_open("127.0.0.1", port):
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
            time.sleep(0.1)
        assert want in text, log.read_text()
        proc.send_signal(sig)
        assert proc.wait(15) == 0, log.read_text()
        assert "monitor stopped" in log.read_text()
        assert not port_open("127.0.0.1", port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_monitor_rejects_a_bad_listen_address_without_a_traceback(kafka):
    result = subprocess.run(
        _learnflow("monitor", "--bootstrap-servers", kafka.bootstrap_servers, "--listen", "nowhere"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "bad listen address 'nowhere'" in result.stderr and "Traceback" not in result.stderr
