"""``make run`` as the cluster: what the ingress takes travels on, and functions get their Service's env.

One pipeline, started as ``learnflow up`` starts it, from a copy of the project's
manifests in which triage's Service sets a threshold literally and a variable from a
ConfigMap. Covered elsewhere: each CloudEvents shape at the ingress and strict mode
(tests/unit/runtime/test_ingress.py), env resolution (tests/unit/runtime/test_environment.py).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from learnflow.local.cli import cli
from learnflow.local.runtime.stack import PROJECT_ROOT, LocalStack

from ..manifests._tree import edit, env
from ..support.cloudevents import binary_headers
from ..support.kafka import KafkaProbe
from ..support.machine import sandbox_override
from ..support.stack import running_stack, stack_options

THRESHOLD = "LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD"
FROM_CONFIG_MAP = "LEARNFLOW_TEST_FROM_CONFIG_MAP"


def _project(root: Path) -> Path:
    """The project's eventing/ and knative/, triage's Service setting two more variables."""
    shutil.copytree(PROJECT_ROOT / "eventing", root / "eventing")
    shutil.copytree(PROJECT_ROOT / "knative", root / "knative")
    (root / "functions").symlink_to(PROJECT_ROOT / "functions")
    edit(root, "knative/kafka-config.yaml", lambda body: body["data"].update(testValue="from-the-config-map"))
    ref = {"configMapKeyRef": {"name": "learnflow-kafka", "key": "testValue"}}
    edit(
        root,
        "knative/triage.yaml",
        lambda body: env(body).extend([{"name": THRESHOLD, "value": "2"}, {"name": FROM_CONFIG_MAP, "valueFrom": ref}]),
    )
    return root


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    tmp = tmp_path_factory.mktemp("cluster-semantics")
    options = stack_options(tmp / "logs", root=_project(tmp / "project"), function_env=sandbox_override())
    with running_stack(options) as running:
        yield running


@pytest.fixture
def probe(stack: LocalStack) -> Iterator[KafkaProbe]:
    assert stack.settings is not None
    kafka = KafkaProbe(stack.settings)
    yield kafka
    kafka.close()


def _post(stack: LocalStack, sink: str, headers: dict[str, str], body: bytes) -> httpx.Response:
    assert stack.ingress is not None
    return httpx.post(f"{stack.ingress.url}/learnflow/{sink}", headers=headers, content=body, timeout=10)


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _samples(stack: LocalStack) -> Samples:
    assert stack.metrics is not None
    text = httpx.get(stack.metrics.url, timeout=10).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in samples.items() if n == name and labels.items() <= dict(ls).items())


def _scrape_until(stack: LocalStack, done: Callable[[Samples], bool], timeout: float = 30.0) -> Samples:
    """Scrape /metrics until ``done`` holds (the exporter reads offsets on its own schedule)."""
    deadline = time.monotonic() + timeout
    while not done(samples := _samples(stack)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return samples


def test_a_services_literal_env_reaches_its_function_and_changes_what_it_does(stack: LocalStack, probe: KafkaProbe) -> None:
    user = str(uuid.uuid4())
    doc = {
        "eventId": str(uuid.uuid4()),
        "userId": user,
        "eventType": "exercise.completed",
        "timestamp": "2026-01-27T10:00:00Z",
        "data": {"exerciseId": str(uuid.uuid4()), "duration": 30, "attempts": 2},
    }
    headers = binary_headers(doc["eventType"], doc["eventId"], source="/frontend", partition_key=user)
    assert _post(stack, "learning-events-ingress", headers, json.dumps(doc).encode()).status_code == 202
    # Two attempts are evidence only at the manifest's threshold of 2 (the default is 3).
    [struggle] = probe.wait_for("struggle-detected", lambda r: r.key == user.encode(), timeout=30)
    assert json.loads(struggle.value)["data"]["suggestedAction"]
    pid = stack.functions["triage"].status.pid
    assert pid is not None
    environ = psutil.Process(pid).environ()
    assert environ[THRESHOLD] == "2" and environ[FROM_CONFIG_MAP] == "from-the-config-map"
    # The runtime's broker, not the cluster's address in the ConfigMap, and the banner's data says so.
    assert stack.settings is not None and environ["KAFKA_BOOTSTRAP_SERVERS"] == stack.settings.bootstrap_servers
    assert stack.environments["triage"].overridden["KAFKA_BOOTSTRAP_SERVERS"] == "runtime"


def test_data_that_is_no_document_travels_to_the_dlq_as_in_the_cluster(
    stack: LocalStack, probe: KafkaProbe, caplog: pytest.LogCaptureFixture
) -> None:
    event_id = f"not-a-document-{uuid.uuid4()}"
    headers = binary_headers("code.submitted", event_id, source="/frontend", content_type="text/plain")
    before = _samples(stack)
    with caplog.at_level(logging.WARNING, logger="learnflow.local.runtime.ingress"):
        response = _post(stack, "code-submitted-ingress", headers, b"print('hello')")
    assert response.status_code == 202, response.text
    [warning] = [r.getMessage() for r in caplog.records if event_id in r.getMessage()]
    assert "<document>: not JSON" in warning and "code-execution will answer 400" in warning

    [letter] = probe.wait_for("code-submitted.dlq", lambda r: r.header_text("ce_id") == event_id, timeout=30)
    assert letter.value == b"print('hello')" and letter.header_text("content-type") == "text/plain"
    assert letter.header_text("ce_knativeerrorcode") == "400"
    reason = letter.header_text("ce_reason") or ""
    assert "<document>: not JSON" in reason, reason

    # Counted by the dispatcher once the dead letter is written, and by the exporter from offsets.
    dead = {"topic": "code-submitted", "outcome": "dead_lettered"}
    errors = {"topic": "code-submitted", "reason": "non_retryable_status"}

    def counted(now: Samples) -> bool:
        return (
            _value(now, "learnflow_deliveries_total", **dead) > _value(before, "learnflow_deliveries_total", **dead)
            and _value(now, "kafka_consumer_errors_total", **errors) > _value(before, "kafka_consumer_errors_total", **errors)
            and _value(now, "learnflow_dlq_depth", topic="code-submitted") >= 1
        )

    assert counted(_scrape_until(stack, counted)), "the dead letter is not counted by the dead-letter metrics"

    assert stack.settings is not None
    listed = CliRunner().invoke(cli, ["dlq", "list", "code-submitted", "--bootstrap-servers", stack.settings.bootstrap_servers])
    assert listed.exit_code == 0, listed.output
    [row] = [line.split("\t") for line in listed.output.splitlines() if event_id in line]
    assert row[3] == "400" and "not JSON" in row[4]
