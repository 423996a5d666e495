"""`learnflow broker`: starts Tansu with the topics, stops on Ctrl-C, leaves nothing behind."""

import signal
import subprocess
import sys
import time

import psutil
import pytest
from kafka import KafkaAdminClient

from learnflow.events import all_topic_partitions
from learnflow.local._process import free_port, port_open

from ..support.processes import kill_tree, read_until


def _learnflow(*args: str) -> list[str]:
    return [sys.executable, "-c", "from learnflow.local.cli import main; main()", *args]


def _as_background_job(argv: list[str]) -> list[str]:
    """What a shell does to a job started with ``&``: SIGINT ignored, inherited across exec."""
    return ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *argv]


@pytest.mark.parametrize("started", ["from a terminal", "as a background job"])
def test_broker_command_creates_topics_and_stops_cleanly_on_sigint(started: str) -> None:
    port = free_port()
    argv = _learnflow("broker", "--port", str(port))
    proc = subprocess.Popen(
        _as_background_job(argv) if started == "as a background job" else argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        banner = read_until(proc, "KAFKA_BOOTSTRAP_SERVERS", "the broker command")
        assert f"127.0.0.1:{port}" in banner
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "the broker binary runs as a child"
        admin = KafkaAdminClient(bootstrap_servers=f"127.0.0.1:{port}")
        try:
            assert set(all_topic_partitions()) <= set(admin.list_topics())
            described = {t["name"]: len(t["partitions"]) for t in admin.describe_topics(list(all_topic_partitions()))}
            assert described == all_topic_partitions()
        finally:
            admin.close()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
        assert proc.returncode == 0, out
        assert "broker stopped" in out
        deadline = time.monotonic() + 5
        while any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children)
        assert not port_open("127.0.0.1", port)
    finally:
        kill_tree(proc)  # a no-op once it stopped by itself


def test_cli_misuse_prints_usage_not_a_traceback():
    result = subprocess.run(_learnflow("broker", "--port", "nope"), capture_output=True, text=True)
    assert result.returncode == 2
    assert "Usage:" in result.stderr and "Traceback" not in result.stderr
    assert "'nope' is not a valid integer range" in result.stderr or "nope" in result.stderr
