from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from learnflow.local._function_server import FunctionServer
from learnflow.serverless import KafkaSettings

from ..support.dispatch import SCRIPTED_SOURCE, ScriptedRun


@pytest.fixture
def scripted_function(function_server: Callable[..., FunctionServer], tmp_path: Path) -> tuple[FunctionServer, Path]:
    log = tmp_path / "calls.jsonl"
    server = function_server("scripted", "handle", "http", source=SCRIPTED_SOURCE, env={"SCRIPTED_LOG": str(log)})
    return server, log


@pytest.fixture
def scripted_run(kafka: KafkaSettings, scripted_function: tuple[FunctionServer, Path]) -> Iterator[Callable[..., ScriptedRun]]:
    """Factory for a ScriptedRun against the scripted function; stopped at teardown."""
    server, log = scripted_function
    runs: list[ScriptedRun] = []

    def make(**delivery: object) -> ScriptedRun:
        run = ScriptedRun(kafka, server.url, log, **delivery)  # type: ignore[arg-type]
        runs.append(run)
        return run

    yield make
    for run in runs:
        run.close()
