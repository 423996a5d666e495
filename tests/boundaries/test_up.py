"""``learnflow up`` refused at the door: one line naming the problem, exit 1, no process left behind.

Covered elsewhere: a clean start and Ctrl-C stop (tests/e2e/test_local_runtime.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import psutil

from learnflow.local._process import free_port, free_port_block, port_open

from ..manifests._tree import edit, env, project_copy
from ..support.machine import sandbox_override_args

FUNCTIONS = 4  # the Knative Services in knative/, each on the port after the last


def _up(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """Run ``learnflow up`` on ports of its own; return the result and the ports it would have used."""
    broker, functions = free_port(), free_port_block(FUNCTIONS)
    argv = [
        sys.executable,
        "-c",
        "from learnflow.local.cli import main; main()",
        "up",
        "--broker-port",
        str(broker),
        "--functions-port",
        str(functions),
        "--ingress-port",
        "0",
        "--gateway-port",
        "0",
        "--log-dir",
        str(tmp_path / "logs"),
        *sandbox_override_args(),
        *args,
    ]
    # No KAFKA_BOOTSTRAP_SERVERS from the test session: up must start (and stop) its own broker.
    env = {k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"}
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    return result, [broker, *range(functions, functions + FUNCTIONS)]


def _assert_nothing_left(ports: list[int]) -> None:
    assert not [p for p in ports if port_open("127.0.0.1", p)], "a broker or function still listens"
    leftovers = [
        p.info for p in psutil.process_iter(["pid", "cmdline"]) if any(str(port) in (p.info["cmdline"] or []) for port in ports)
    ]
    assert not leftovers, f"processes left behind: {leftovers}"


def _assert_one_line_error(result: subprocess.CompletedProcess[str], *names: str) -> None:
    assert result.returncode == 1, result
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for name in names:
        assert name in errors[0], errors[0]


def test_a_root_without_eventing_is_one_clear_line(tmp_path: Path) -> None:
    empty = tmp_path / "project"
    empty.mkdir()
    result, ports = _up(tmp_path, "--root", str(empty))
    _assert_one_line_error(result, "eventing/kustomization.yaml", "cannot read")
    _assert_nothing_left(ports)


def test_a_bad_metrics_address_is_one_clear_line_and_stops_what_started(tmp_path: Path) -> None:
    # The address is parsed when the metrics server starts, after the broker and the functions:
    # what already started must be stopped again, by PID.
    result, ports = _up(tmp_path, "--metrics-address", "nonsense")
    _assert_one_line_error(result, "bad listen address 'nonsense'", "HOST:PORT")
    assert (tmp_path / "logs" / "broker.log").exists(), "the broker was never started: this proves nothing"
    _assert_nothing_left(ports)


def test_a_secret_the_manifests_cannot_hold_is_one_clear_line_naming_the_flag(tmp_path: Path) -> None:
    root = project_copy(tmp_path / "project")
    ref = {"secretKeyRef": {"name": "learnflow-llm", "key": "apiKey"}}
    edit(root, "knative/concepts.yaml", lambda body: env(body).append({"name": "LEARNFLOW_LLM_API_KEY", "valueFrom": ref}))
    result, ports = _up(tmp_path, "--root", str(root))
    _assert_one_line_error(
        result, "knative Service concepts: LEARNFLOW_LLM_API_KEY", "Secret 'learnflow-llm'", "--env LEARNFLOW_LLM_API_KEY="
    )
    assert not (tmp_path / "logs" / "broker.log").exists(), "known before anything starts"
    _assert_nothing_left(ports)


def test_the_runtimes_own_variables_are_not_for_env(tmp_path: Path) -> None:
    result, ports = _up(tmp_path, "--env", "KAFKA_BOOTSTRAP_SERVERS=elsewhere:9092")
    _assert_one_line_error(result, "--env KAFKA_BOOTSTRAP_SERVERS", "--bootstrap-servers")
    _assert_nothing_left(ports)


def test_an_env_flag_that_is_not_name_value_is_a_usage_error(tmp_path: Path) -> None:
    result, _ = _up(tmp_path, "--env", "SANDBOX_MIN_LEVEL")
    assert result.returncode == 2 and "expected NAME=VALUE" in result.stderr, result


def test_a_gateway_port_in_use_is_one_clear_line_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result, ports = _up(tmp_path, "--gateway-port", str(port))
    _assert_one_line_error(result, f"needs port {port}", "--gateway-port")
    assert not (tmp_path / "logs" / "broker.log").exists()
    _assert_nothing_left(ports)


def test_a_catalogue_that_does_not_validate_is_one_line_naming_file_exercise_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "exercises:\n"
        "  - id: 6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90\n"
        "    title: Sum of evens\n"
        "    prompt: Write sum_evens(numbers).\n"
        "    concepts: [for_loops]\n"
        "    checks:\n"
        "      - name: prints 30\n"
        '        stdout: "30\\n"\n'
        "      - name: sum_evens([1, 2])\n"
        "        call: sum_evens\n"
        "        args: [[1, 2]]\n",
        encoding="utf-8",
    )
    result, ports = _up(tmp_path, "--exercises", str(broken))
    _assert_one_line_error(result, str(broken), "exercise 1 (6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90, 'Sum of evens')", "checks.1")
    assert "returns" in result.stderr
    assert not (tmp_path / "logs" / "broker.log").exists(), "known before anything starts"
    _assert_nothing_left(ports)


def test_the_catalogue_is_given_with_exercises_not_env(tmp_path: Path) -> None:
    result, ports = _up(tmp_path, "--env", "LEARNFLOW_EXERCISES=elsewhere.yaml")
    _assert_one_line_error(result, "--env LEARNFLOW_EXERCISES", "--exercises")
    _assert_nothing_left(ports)
