"""One ``sandbox run`` span per sandboxed run: where a submission's time goes, inside code execution.

A wrapper rather than a line in the domain: the domain stays free of telemetry, and the
span closes around exactly the call that waits for the sandbox.
"""

from __future__ import annotations

from typing import Any

from learnflow.serverless import work_span

from .outcome import RunOutcome
from .service import Runner

SPAN_NAME = "sandbox run"


class TracedRunner:
    """A ``Runner`` whose every run is a span with the outcome's exit code and limits hit."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def run(self, *args: Any, **kwargs: Any) -> RunOutcome:
        with work_span(SPAN_NAME) as span:
            outcome = self.runner.run(*args, **kwargs)
            if outcome.exit_code is not None:
                span.set_attribute("process.exit.code", outcome.exit_code)
            span.set_attribute("learnflow.sandbox.timed_out", outcome.timed_out)
            span.set_attribute("learnflow.sandbox.output_exceeded", outcome.output_exceeded)
            return outcome

    def __getattr__(self, name: str) -> Any:
        return getattr(self.runner, name)  # the sandbox's own API (zygote_pids, close...) stays reachable
