"""The whole local pipeline for a test, on ports picked free and stopped even when the test fails."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from learnflow.local._process import free_port, free_port_block
from learnflow.local.runtime.stack import LocalStack, StackOptions


def stack_options(log_dir: Path, **overrides: Any) -> StackOptions:
    """Options for ``learnflow up`` with every port free (the ingress, metrics and trace receiver on port 0); ``overrides`` win."""
    defaults: dict[str, Any] = {
        "broker_port": free_port(),
        "ingress_port": 0,
        "functions_port": free_port_block(4),
        "metrics_address": "127.0.0.1:0",
        "traces_address": "127.0.0.1:0",
    }
    return StackOptions(log_dir=log_dir, **{**defaults, **overrides})


@contextlib.contextmanager
def running_stack(options: StackOptions) -> Iterator[LocalStack]:
    """Start the pipeline and stop every process it started, by PID, whatever happens in between."""
    running = LocalStack(options)
    try:
        running.start()
        yield running
    finally:
        running.stop()
