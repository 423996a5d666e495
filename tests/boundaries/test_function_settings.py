"""Functions started with a bad environment value: an error naming the variable, decided per function.

- Settings read at the first event (triage's thresholds, and its exercise catalogue at the
  first graded run, concepts' explainer, the Kafka
  settings every publisher reads): the function starts and answers every event 503 with
  ``kne-reason`` naming the variable (``learnflow.serverless._handler``). The delivery layer retries,
  then dead-letters the event with that reason; ``learnflow dlq replay`` resends it once
  the setting is fixed. Nothing is lost and nothing is mistaken for poison.
- Settings needed before serving (code execution's sandbox, started at import): the
  process exits at start-up with the ConfigurationError naming the variable in its log,
  so it never takes traffic (in a cluster the revision never becomes ready).

Covered elsewhere, in process: each settings class names a bad variable
(tests/unit/test_settings.py, tests/unit/triage/test_settings.py,
tests/unit/concepts/test_settings.py, tests/unit/code_execution/test_settings_and_layers.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from learnflow.local._function_server import FunctionServer

from ..support.seed import mutated, seed_document


def _binary(doc: dict) -> tuple[dict[str, str], bytes]:
    headers = {
        "ce-specversion": "1.0",
        "ce-id": doc["eventId"],
        "ce-type": doc["eventType"],
        "ce-source": "/tests",
        "content-type": "application/json",
    }
    return headers, json.dumps(doc).encode()


# (folder, variable, bad value, an event that makes the function read it)
PER_EVENT = [
    ("triage", "LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD", "-1", seed_document("learning-event.json")),
    ("concepts", "LEARNFLOW_CONCEPTS_EXPLAINER", "gpt", seed_document("struggle-detected.json")),
    # triage publishes for a help request; the publisher reads the Kafka settings then.
    ("triage", "LEARNFLOW_PUBLISH_TIMEOUT_S", "abc", mutated("learning-event.json", "eventType", "help.requested")),
]


@pytest.mark.parametrize(("folder", "variable", "value", "event"), PER_EVENT, ids=[v for _, v, _, _ in PER_EVENT])
def test_a_lazily_read_setting_answers_503_naming_the_variable(
    function_server: Callable[..., FunctionServer],
    kafka_env: dict[str, str],
    folder: str,
    variable: str,
    value: str,
    event: dict,
) -> None:
    server = function_server(folder, env={**kafka_env, variable: value})
    headers, body = _binary(event)
    first = httpx.post(server.url, headers=headers, content=body, timeout=30)
    assert first.status_code == 503, first.text
    assert variable in first.headers["kne-reason"] and repr(value) in first.headers["kne-reason"]
    assert first.json() == {"error": "misconfigured", "reason": first.headers["kne-reason"]}
    # Every event alike, and the process stays up to answer them.
    again = httpx.post(server.url, headers=headers, content=body, timeout=30)
    assert again.status_code == 503 and server.running()


def test_code_execution_refuses_to_start_with_a_bad_sandbox_level(kafka_env: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "code_execution.log"
    server = FunctionServer("code_execution", env={**kafka_env, "SANDBOX_MIN_LEVEL": "L9"}, log_path=log)
    try:
        with pytest.raises(RuntimeError, match="exited before listening"):
            server.start(timeout=30)
    finally:
        server.stop()
    text = log.read_text()
    assert "ConfigurationError: invalid configuration: SANDBOX_MIN_LEVEL='L9'" in text
    assert "expected one of L0, L1, L2" in text
    assert not server.running()


def test_code_execution_refuses_to_start_with_a_catalogue_that_does_not_validate(
    kafka_env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "curriculum.yaml"
    broken.write_text(
        "exercises:\n  - id: 6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90\n    title: Sums\n    prompt: p\n"
        "    concepts: [for_loops]\n    checks:\n      - name: c\n        call: f\n        retruns: 1\n",
        encoding="utf-8",
    )
    log = tmp_path / "code_execution.log"
    server = FunctionServer("code_execution", env={**kafka_env, "LEARNFLOW_EXERCISES": str(broken)}, log_path=log)
    try:
        with pytest.raises(RuntimeError, match="exited before listening"):
            server.start(timeout=30)
    finally:
        server.stop()
    text = log.read_text()
    assert f"CatalogueError: {broken}: invalid exercise catalogue" in text
    assert "exercise 1 (6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90, 'Sums'): checks.0.retruns" in text
    assert not server.running()


def test_triage_with_a_catalogue_that_does_not_validate_answers_a_graded_run_503_naming_the_file(
    function_server: Callable[..., FunctionServer], kafka_env: dict[str, str], tmp_path: Path
) -> None:
    # Triage reads the catalogue when a graded run needs it (a wrong answer's concept), like its
    # other settings: a crash is still judged, and a wrong answer waits, retried, for the fix.
    broken = tmp_path / "curriculum.yaml"
    broken.write_text("exercises:\n  - id: 6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90\n    title: Sums\n", encoding="utf-8")
    server = function_server("triage", env={**kafka_env, "LEARNFLOW_EXERCISES": str(broken)})
    event = seed_document("learning-event.json")
    graded = {
        **event,
        "eventType": "code.executed",
        "data": {
            "exerciseId": event["data"]["exerciseId"],
            "submissionId": event["eventId"],
            "status": "ok",
            "grade": {"passed": False, "checks": [{"name": "c", "passed": False, "expected": "1", "got": "2"}]},
        },
    }
    headers, body = _binary(graded)
    answer = httpx.post(server.url, headers=headers, content=body, timeout=30)
    assert answer.status_code == 503, answer.text
    assert "invalid exercise catalogue" in answer.headers["kne-reason"] and "curriculum.yaml" in answer.headers["kne-reason"]
    assert server.running()
