"""From what happened to what is reported: the ``ExecutionResult`` of a run (pure).

The status says why a run ended, most specific first: the wall deadline or the CPU
limit (``timeout``), the output cap or the file-size limit (``output_exceeded``), the
address-space limit (``memory_exceeded``), then ``ok`` or ``error`` by exit status. A
learner's exception is an ``error`` with its type, message and line, the text and
the constructs on that line; a run that did not end cleanly also carries its program,
which triage reads with the error.
"""

from __future__ import annotations

import errno
import signal
import uuid

from learnflow.events import MAX_LINE_TEXT, ExecutionError, ExecutionResult, ExecutionStatus

from .constructs import Analysis
from .limits import Limits
from .outcome import RunOutcome


def classify(outcome: RunOutcome, limits: Limits) -> ExecutionStatus:
    """Why the run ended."""
    sig = outcome.signal
    if outcome.timed_out or sig == signal.SIGXCPU:
        return ExecutionStatus.TIMEOUT
    # SIGKILL from the kernel at the hard CPU limit (a run that ignored SIGXCPU).
    if sig == signal.SIGKILL and outcome.cpu_ms >= limits.cpu_seconds * 1000:
        return ExecutionStatus.TIMEOUT
    error = outcome.error
    if outcome.output_exceeded or sig == signal.SIGXFSZ or (error is not None and error.errno == errno.EFBIG):
        return ExecutionStatus.OUTPUT_EXCEEDED
    if error is not None and error.type == "MemoryError":
        return ExecutionStatus.MEMORY_EXCEEDED
    return ExecutionStatus.OK if outcome.exit_code == 0 else ExecutionStatus.ERROR


def _error_at(type_: str, message: str, line: int | None, analysis: Analysis) -> ExecutionError:
    return ExecutionError(
        type=type_,
        message=message,
        line=line,
        line_text=analysis.text_of(line, MAX_LINE_TEXT),
        constructs=list(analysis.on_line(line)),
    )


def _error(outcome: RunOutcome, analysis: Analysis) -> ExecutionError | None:
    if outcome.error is not None:
        err = outcome.error
        return _error_at(err.type, err.message, err.line, analysis)
    problem = analysis.syntax_error
    if problem is not None and outcome.exit_code != 0:
        # The child's own report was lost (the learner cannot hide a syntax error:
        # their code never ran); the parser's verdict is the same one.
        return _error_at(problem.type, problem.message, problem.line, analysis)
    return None


def build_result(
    *, exercise_id: uuid.UUID, submission_id: uuid.UUID, code: str, outcome: RunOutcome, analysis: Analysis, limits: Limits
) -> ExecutionResult:
    status = classify(outcome, limits)
    return ExecutionResult(
        exercise_id=exercise_id,
        submission_id=submission_id,
        status=status,
        exit_code=outcome.exit_code,
        stdout=outcome.stdout,
        stderr=outcome.stderr,
        stdout_truncated=outcome.stdout_truncated,
        stderr_truncated=outcome.stderr_truncated,
        duration_ms=max(outcome.duration_ms, 0.0),
        error=_error(outcome, analysis),
        constructs=list(analysis.constructs),
        sandbox_layers=list(outcome.layers),
        # Triage reads the program only to diagnose a failure; a clean run need not carry it.
        code=None if status is ExecutionStatus.OK else code,
    )


def refused_result(
    *,
    exercise_id: uuid.UUID,
    submission_id: uuid.UUID,
    status: ExecutionStatus,
    reason: str,
    constructs: tuple[str, ...] = (),
) -> ExecutionResult:
    """A submission that was not run (too large, not Python): a result, not a failure."""
    return ExecutionResult(
        exercise_id=exercise_id, submission_id=submission_id, status=status, reason=reason, constructs=list(constructs)
    )
