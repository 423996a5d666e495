"""The trace of a command that writes records: ``publish``, ``simulate``, ``dlq replay``.

Every record the stack writes carries ``traceparent`` (issue 27), and a ``send`` span
writes one only under an SDK tracer provider: without one the API's spans are invalid and
inject nothing. So a writing command installs the provider (named after itself; its
spans go wherever the standard ``OTEL_*`` variables say, nowhere by default), each record
it sends starts a trace, or continues the one it already names (a replayed dead letter),
and what the batch processor holds is flushed before the process exits.

Only when the command is the program (``main``, the ``learnflow`` script): a process has
one tracer provider for good, named after whoever installed it first, so a command
invoked inside another Python process (a test's CliRunner, a notebook) must leave that
process's tracing to its host, or every span the host made later, a stack's
dispatchers' included, would carry the command's name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from learnflow.events import KafkaRecord
from learnflow.serverless import attached, configure_tracing, flush_spans, record_context

_owns_process = False


def own_process() -> None:
    """Called by ``main``: the commands run as the program, and may install the process's tracer provider."""
    global _owns_process
    _owns_process = True


P = ParamSpec("P")
R = TypeVar("R")


def traced_command(service_name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run the decorated command under this process's tracer provider, its spans flushed at the end."""

    def decorate(command: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(command)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            if _owns_process:
                configure_tracing(service_name)
            try:
                return command(*args, **kwargs)
            finally:
                flush_spans()

        return run

    return decorate


@contextmanager
def continuing(record: KafkaRecord) -> Iterator[None]:
    """Make the trace ``record`` names current (if any), so that re-sending it continues that trace.

    A dead letter keeps the ``traceparent`` of the submission it failed in; its replay is
    a later hop of that submission, not a new one.
    """
    with attached(record_context(record)):
        yield
