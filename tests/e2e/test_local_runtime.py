"""The whole pipeline as `make run` starts it: embedded broker, functions, dispatchers, ingress."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import psutil
import pytest
from prometheus_client.parser import text_string_to_metric_families

from learnflow.local._process import free_port, free_port_block, port_open
from learnflow.local.runtime.stack import PROJECT_ROOT, LocalStack
from learnflow.serverless import kafka_settings

from ..support.cloudevents import binary_headers
from ..support.kafka import KafkaProbe
from ..support.machine import sandbox_override, sandbox_override_args
from ..support.processes import kill_tree, read_until
from ..support.stack import running_stack, stack_options

BROKEN_COMPREHENSION = "squares = [x * x for x in range(10)\nprint(squares)\n"


def _submission(code: str) -> tuple[dict, dict[str, str]]:
    doc = {
        "eventId": str(uuid.uuid4()),
        "userId": str(uuid.uuid4()),
        "eventType": "code.submitted",
        "timestamp": "2026-01-27T10:00:00Z",
        "data": {"exerciseId": str(uuid.uuid4()), "code": code, "language": "python"},
    }
    headers = binary_headers("code.submitted", doc["eventId"], source="/frontend", partition_key=doc["userId"])
    return doc, headers


def _explanation_for(probe: KafkaProbe, user_id: str, timeout: float = 40.0):
    return probe.wait_for("proactive-help", lambda r: r.key == user_id.encode(), timeout=timeout)


@pytest.fixture
def stack(tmp_path: Path):
    with running_stack(stack_options(tmp_path / "logs", function_env=sandbox_override())) as running:
        yield running


def test_a_broken_comprehension_posted_to_the_ingress_comes_back_as_an_explanation(stack):
    doc, headers = _submission(BROKEN_COMPREHENSION)
    response = httpx.post(f"{stack.ingress.url}/learnflow/code-submitted-ingress", headers=headers, content=json.dumps(doc))
    assert response.status_code == 202
    probe = KafkaProbe(stack.settings)
    try:
        [help_record] = _explanation_for(probe, doc["userId"])
        explanation = json.loads(help_record.value)
        assert explanation["eventType"] == "help.explanation"
        assert explanation["data"]["concept"] == "list_comprehension"
        assert explanation["data"]["struggleType"] == "syntax_error"
        [struggle] = probe.wait_for("struggle-detected", lambda r: r.key == doc["userId"].encode())
        assert explanation["data"]["sourceEventId"] == json.loads(struggle.value)["eventId"]
    finally:
        probe.close()
    # Each hop was delivered by the consumer group of the function behind it (eventing/sources/*.yaml).
    hops = {
        ("code-submitted", "learnflow-code-execution"),
        ("learning-events", "learnflow-triage"),
        ("struggle-detected", "learnflow-concepts"),
    }
    # A dispatcher counts a delivery once the function has answered, which can be just after
    # the function's own output reached Kafka: poll the scrape until every hop is counted.
    deadline = time.monotonic() + 20.0
    while not hops <= (delivered := _delivered(stack.metrics.url)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert hops <= delivered, sorted(delivered)


ENDLESS_LOOP = "n = 0\nwhile True:\n    n += 1\n"


def test_one_learners_endless_loops_do_not_hold_another_learners_run_on_their_partition(stack):
    source = stack.dispatchers["code-execution"]
    # The cluster's bound, read from eventing/data-plane/, and a sandbox slot for each record.
    assert (source.ordered, source.max_in_flight) == (False, stack.eventing.max_poll_records)
    assert stack.environments["code-execution"].values["SANDBOX_POOL_SIZE"] == str(source.max_in_flight)
    loops = [_submission(ENDLESS_LOOP) for _ in range(3)]
    quick, quick_headers = _submission("print('mine')\n")
    # One key for all: the same partition, where ordered delivery would run them one by one.
    key = quick["userId"]
    probe = KafkaProbe(stack.settings)
    try:
        for doc, headers in [*loops, (quick, quick_headers)]:
            response = httpx.post(
                f"{stack.ingress.url}/learnflow/code-submitted-ingress",
                headers={**headers, "ce-partitionkey": key},
                content=json.dumps(doc),
            )
            assert response.status_code == 202
        ids = {doc["eventId"] for doc, _ in loops} | {quick["eventId"]}

        def executed(record) -> bool:
            event = json.loads(record.value)
            return event["eventType"] == "code.executed" and event["data"]["submissionId"] in ids

        results = probe.wait_for("learning-events", executed, count=4, timeout=60)
    finally:
        probe.close()
    order = [json.loads(r.value)["data"] for r in results]
    # Each loop burns its 3 CPU-seconds; the quick run, written last, answers first.
    assert order[0]["submissionId"] == quick["eventId"] and order[0]["stdout"] == "mine\n", order
    assert {d["status"] for d in order[1:]} == {"timeout"}, order


def _delivered(metrics_url: str) -> set[tuple[str, str]]:
    """(topic, consumer group) of every learnflow_deliveries_total counted as delivered."""
    return {
        (sample.labels["topic"], sample.labels["consumer_group"])
        for family in text_string_to_metric_families(httpx.get(metrics_url).text)
        for sample in family.samples
        if sample.name == "learnflow_deliveries_total" and sample.labels.get("outcome") == "delivered" and sample.value > 0
    }


def test_a_function_that_dies_is_restarted_and_the_status_shows_it(stack):
    triage = stack.functions["triage"]
    old_pid = triage.status.pid
    os.kill(old_pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while (triage.status.restarts == 0 or triage.status.state != "running") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert triage.status.restarts == 1 and triage.status.state == "running"
    assert triage.status.pid != old_pid and psutil.pid_exists(triage.status.pid)


def test_stop_leaves_no_process_behind(tmp_path):
    options = stack_options(tmp_path / "logs", function_env=sandbox_override())
    running = LocalStack(options).start()
    pids = [f.status.pid for f in running.functions.values()] + [running.broker.pid]
    ports = [running.ingress.port, running.metrics.port, options.broker_port]
    running.stop()
    assert not [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert not [p for p in ports if port_open("127.0.0.1", p)]


def _stop_up(proc: subprocess.Popen[str]) -> None:
    """After a failure: Ctrl-C first, so `learnflow up` stops its children (a SIGKILL would orphan them)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            kill_tree(proc)


def test_make_run_starts_the_pipeline_and_stops_cleanly_on_ctrl_c(tmp_path):
    broker_port, ingress_port, gateway_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "LEARNFLOW_BROKER_PORT": str(broker_port),
        "LEARNFLOW_INGRESS_PORT": str(ingress_port),
        "LEARNFLOW_GATEWAY_PORT": str(gateway_port),
        "LEARNFLOW_FUNCTIONS_PORT": str(free_port_block(4)),
        "LEARNFLOW_METRICS_ADDRESS": f"127.0.0.1:{free_port()}",
    }
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    env.pop("MAKEFLAGS", None)
    if override := sandbox_override():
        env["LEARNFLOW_ENV"] = " ".join(f"{k}={v}" for k, v in override.items())
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = ""
    try:
        output = read_until(proc, "Ctrl-C stops everything.", "make run")
        tree = psutil.Process(proc.pid).children(recursive=True)
        # The learner page comes first: it is what a person opens.
        lines = output.splitlines()
        up = next(i for i, line in enumerate(lines) if line.startswith("LearnFlow eventing is up"))
        assert lines[up - 1] == f"Learner page: http://127.0.0.1:{gateway_port}/", output
        assert "LearnFlow" in httpx.get(f"http://127.0.0.1:{gateway_port}/").text
        doc, headers = _submission("print('hello')")
        response = httpx.post(
            f"http://127.0.0.1:{ingress_port}/learnflow/code-submitted-ingress", headers=headers, content=json.dumps(doc)
        )
        assert response.status_code == 202
        probe = KafkaProbe(kafka_settings(KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{broker_port}"))
        try:
            assert probe.wait_for("learning-events", lambda r: r.key == doc["userId"].encode(), timeout=30)
        finally:
            probe.close()
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        rest, _ = proc.communicate(timeout=60)
        output += rest
        assert "stopped: every process is down." in output, output
        assert "Traceback" not in output, output
        leftovers = [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not leftovers, f"left running: {[p.cmdline() for p in leftovers]}"
        assert not [p for p in (broker_port, ingress_port, gateway_port) if port_open("127.0.0.1", p)]
    finally:
        _stop_up(proc)


def test_ctrl_c_in_a_pipeline_whose_reader_died_still_stops_everything(tmp_path):
    """`make run | tee log`: Ctrl-C kills tee too, and writing then fails; nothing may be orphaned."""
    ports = [free_port(), free_port(), f"127.0.0.1:{free_port()}"]
    argv = [
        str(Path(os.sys.executable).parent / "learnflow"),
        "up",
        "--broker-port",
        str(ports[0]),
        "--ingress-port",
        str(ports[1]),
        "--functions-port",
        str(free_port_block(4)),
        "--metrics-address",
        ports[2],
        "--gateway-port",
        str(free_port()),
        "--log-dir",
        str(tmp_path),
        *sandbox_override_args(),
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        read_until(proc, "Ctrl-C stops everything.", "learnflow up")
        tree = psutil.Process(proc.pid).children(recursive=True)
        proc.stdout.close()  # the reader is gone, as tee is after Ctrl-C
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(60)
        leftovers = [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not leftovers, f"left running: {[p.cmdline() for p in leftovers]}"
    finally:
        _stop_up(proc)
