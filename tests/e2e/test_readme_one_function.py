"""The README's "One function alone" section, run as written: its commands give its answer.

The commands are read out of README.md, so the section cannot go stale. Only what a test
must change is changed: the ports (9092, 8085) become free ones, and ``.venv/bin/``
becomes the bin folder of the Python running the tests (``make test PYTHON=...`` tests in
a venv of its own). Each block runs under bash from the project folder, the first two in
the background as a reader's first two terminals would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from learnflow.local._process import free_port, stop, wait_for_port
from learnflow.local.runtime.stack import PROJECT_ROOT
from learnflow.serverless import kafka_settings

from ..support.kafka import KafkaProbe
from ..support.processes import read_until

SECTION = "## One function alone"
BIN = str(Path(sys.executable).parent)


def readme_blocks() -> list[str]:
    """The section's indented code blocks, in order, indentation removed."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks: list[list[str]] = []
    previous_indented = False
    for line in section.splitlines():
        indented = line.startswith("    ")
        if indented and not previous_indented:
            blocks.append([])
        if indented:
            blocks[-1].append(line[4:])
        previous_indented = indented
    return ["\n".join(block) for block in blocks]


def test_the_section_has_the_blocks_this_test_runs() -> None:
    broker, function, request, answer = readme_blocks()
    assert broker.startswith(".venv/bin/learnflow broker --port 9092")
    assert "export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092" in function
    assert "functions-framework --target handle --source functions/code_execution/main.py" in function
    assert "--signature-type cloudevent" in function and "--port 8085" in function
    assert request.startswith("curl ") and "ce-specversion: 1.0" in request and answer


@pytest.fixture
def ports() -> dict[str, str]:
    return {"9092": str(free_port()), "8085": str(free_port())}


def _as_run_here(block: str, ports: dict[str, str]) -> str:
    for written, here in ports.items():
        block = block.replace(written, here)
    return block.replace(".venv/bin/", BIN + "/")


@pytest.fixture
def terminals() -> Iterator[list[subprocess.Popen[str]]]:
    """The background processes the test starts; each process group is stopped at teardown."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in reversed(started):
        stop(proc)  # type: ignore[arg-type]


def test_the_readme_commands_give_the_readme_answer(ports: dict[str, str], terminals: list[subprocess.Popen[str]]) -> None:
    if shutil.which("curl") is None:
        pytest.skip("the README's request is a curl command, and curl is not installed here")
    broker, function, request, answer = (_as_run_here(b, ports) for b in readme_blocks())
    # A terminal shows output as it comes; a pipe would hold it in Python's buffer.
    env = {k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"} | {"PYTHONUNBUFFERED": "1"}

    def background(block: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            ["bash", "-c", block],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        terminals.append(proc)
        return proc

    read_until(background(broker), "export KAFKA_BOOTSTRAP_SERVERS=", "learnflow broker")
    served = background(function)
    wait_for_port("127.0.0.1", int(ports["8085"]), 60, lambda: served.poll() is None, "the README's functions-framework")

    got = subprocess.run(["bash", "-c", request], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert got.stdout.strip() == answer.strip(), got.stderr

    probe = KafkaProbe(kafka_settings(KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{ports['9092']}"))
    try:
        executed = probe.wait_for("learning-events", lambda r: r.header_text("ce_type") == "code.executed", timeout=30)
    finally:
        probe.close()
    assert executed, "the README says code.executed is on learning-events"
