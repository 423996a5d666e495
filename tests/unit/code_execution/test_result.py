"""Status classification and result building: pure functions over a RunOutcome."""

from __future__ import annotations

import errno
import signal
import uuid

import pytest

from functions.code_execution.constructs import analyse
from functions.code_execution.limits import Limits
from functions.code_execution.outcome import ChildError, RunOutcome
from functions.code_execution.result import build_result, classify
from learnflow.events import ExecutionStatus as S

LIMITS = Limits(cpu_seconds=2)


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (RunOutcome(exit_code=0), S.OK),
        (RunOutcome(exit_code=3), S.ERROR),
        (RunOutcome(exit_code=1, error=ChildError("ZeroDivisionError", "division by zero", 1)), S.ERROR),
        (RunOutcome(exit_code=-signal.SIGKILL, timed_out=True), S.TIMEOUT),
        (RunOutcome(exit_code=-signal.SIGXCPU, cpu_ms=2000), S.TIMEOUT),
        (RunOutcome(exit_code=-signal.SIGKILL, cpu_ms=2990), S.TIMEOUT),  # the hard CPU limit
        (RunOutcome(exit_code=-signal.SIGKILL, cpu_ms=10), S.ERROR),  # killed otherwise
        (RunOutcome(exit_code=0, output_exceeded=True, stdout_truncated=True), S.OUTPUT_EXCEEDED),
        (RunOutcome(exit_code=1, error=ChildError("OSError", "File too large", 2, errno.EFBIG)), S.OUTPUT_EXCEEDED),
        (RunOutcome(exit_code=-signal.SIGXFSZ), S.OUTPUT_EXCEEDED),
        (RunOutcome(exit_code=1, error=ChildError("MemoryError", "", 1)), S.MEMORY_EXCEEDED),
        (RunOutcome(exit_code=1, error=ChildError("OSError", "nope", 1, errno.EACCES)), S.ERROR),
    ],
)
def test_classify(outcome: RunOutcome, status: S) -> None:
    assert classify(outcome, LIMITS) is status


def test_timeout_wins_over_everything_else() -> None:
    o = RunOutcome(exit_code=-9, timed_out=True, output_exceeded=True, error=ChildError("MemoryError", "", 1))
    assert classify(o, LIMITS) is S.TIMEOUT


def test_error_carries_type_line_and_the_constructs_on_that_line() -> None:
    code = "xs = [1, 2]\nfor i in range(3):\n    print(xs[i])\n"
    outcome = RunOutcome(exit_code=1, error=ChildError("IndexError", "list index out of range", 3), layers=("rlimits",))
    ids = {"exercise_id": uuid.uuid4(), "submission_id": uuid.uuid4()}
    result = build_result(**ids, code=code, outcome=outcome, analysis=analyse(code), limits=LIMITS)
    assert result.status is S.ERROR
    assert result.error is not None
    assert (result.error.type, result.error.line, result.error.line_text) == ("IndexError", 3, "    print(xs[i])")
    assert result.error.constructs == ["indexing", "print_call"]
    assert result.constructs == ["for_loop", "indexing", "print_call", "assignment"]
    assert result.sandbox_layers == ["rlimits"]
    assert result.code == code  # triage reads the program of a failed run


def test_a_clean_run_does_not_carry_its_program() -> None:
    code = "print(1)\n"
    outcome = RunOutcome(exit_code=0, stdout="1\n")
    ids = {"exercise_id": uuid.uuid4(), "submission_id": uuid.uuid4()}
    result = build_result(**ids, code=code, outcome=outcome, analysis=analyse(code), limits=LIMITS)
    assert result.status is S.OK and result.code is None


def test_a_lost_report_of_a_syntax_error_is_rebuilt_from_the_parser() -> None:
    code = "squares = [x*x for x in range(10)\n"
    outcome = RunOutcome(exit_code=1, error=None)
    result = build_result(
        exercise_id=uuid.uuid4(), submission_id=uuid.uuid4(), code=code, outcome=outcome, analysis=analyse(code), limits=LIMITS
    )
    assert result.error is not None
    assert result.error.type == "SyntaxError" and result.error.line == 1
    assert result.error.line_text == "squares = [x*x for x in range(10)"
    assert "list_comprehension" in result.error.constructs


@pytest.mark.parametrize(
    ("code", "line", "text"),
    [
        ("a = 1\r\nb = 2\r\n", 2, "b = 2"),  # Windows line ends: the text, not the \r
        ("a = 1\rb = 2", 2, "b = 2"),  # old Mac line ends count as lines for Python too
        ("x = '\f'\ny = 1", 2, "y = 1"),  # a form feed is no line end
        ("x = 1\n", 5, None),  # a line the program does not have
        ("s = '" + "x" * 300 + "'", 1, "s = '" + "x" * 194 + "…"),  # cut at 200 characters
    ],
)
def test_the_failing_line_is_quoted_as_written_up_to_200_characters(code: str, line: int, text: str | None) -> None:
    outcome = RunOutcome(exit_code=1, error=ChildError("ValueError", "m", line))
    result = build_result(
        exercise_id=uuid.uuid4(), submission_id=uuid.uuid4(), code=code, outcome=outcome, analysis=analyse(code), limits=LIMITS
    )
    assert result.error is not None and result.error.line_text == text
    assert text is None or len(text) <= 200


def test_child_reports_are_parsed_defensively() -> None:
    assert ChildError.from_wire("junk") is None
    assert ChildError.from_wire({"type": 1, "message": "x"}) is None
    err = ChildError.from_wire({"type": "E" * 500, "message": "m", "line": -4, "errno": True})
    assert err is not None and len(err.type) == 128 and err.line is None and err.errno is None
