"""The stack's embedded receiver: it refuses a busy address with what to do, and starts nothing."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from learnflow.events import ConfigurationError
from learnflow.local._process import free_port
from learnflow.local.runtime.stack import LocalStack

from ...support.machine import sandbox_override
from ...support.stack import stack_options


def test_a_busy_trace_address_fails_start_up_naming_the_flags(tmp_path: Path):
    with socket.socket() as collector:
        collector.bind(("127.0.0.1", free_port()))
        collector.listen()
        address = f"127.0.0.1:{collector.getsockname()[1]}"
        stack = LocalStack(stack_options(tmp_path, function_env=sandbox_override(), traces_address=address))
        with pytest.raises(ConfigurationError, match="--otlp-endpoint") as refused:
            stack.start()
    assert address in str(refused.value)
    assert stack.traces is None and stack.broker is None and not stack.functions
