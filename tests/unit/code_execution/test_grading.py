"""Grading's pure parts: what goes into the sandbox, how values compare, how the channel is read."""

from __future__ import annotations

import json

import pytest

from functions.code_execution.calls import CHANNEL_CAP, CallOutcome, read_results
from functions.code_execution.grading import calls_for, grade, normalised_output, same_json
from functions.code_execution.outcome import RunOutcome
from learnflow.events import ExecutionStatus, parse_catalogue

EXERCISE = parse_catalogue(
    """\
exercises:
  - id: 6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90
    title: Sum of evens
    prompt: p
    concepts: [for_loops]
    checks:
      - {name: hidden first in the file, call: f, args: [[]], returns: 0, hidden: true}
      - {name: prints 30, stdout: "30\\n"}
      - {name: visible, call: f, args: [[1, 2, 3, 4]], returns: 6}
""",
    "t.yaml",
).exercises[0]


def test_only_names_and_arguments_enter_the_sandbox_visible_first() -> None:
    assert calls_for(EXERCISE) == [{"call": "f", "args": "[[1, 2, 3, 4]]"}, {"call": "f", "args": "[[]]"}]
    assert "6" not in json.dumps(calls_for(EXERCISE)).replace("[[1, 2, 3, 4]]", "")


@pytest.mark.parametrize(
    ("expected", "got", "same"),
    [
        (6, 6, True),
        (6, 6.0, True),
        (0.1 + 0.2, 0.3, True),
        (1, True, False),
        (False, 0, False),
        ([1, 2], [1, 2], True),
        ([1, 2], [2, 1], False),
        ({"a": 1}, {"a": 1.0}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        (None, 0, False),
        ("6", 6, False),
    ],
)
def test_json_values_compare_by_value_not_by_python_type(expected: object, got: object, same: bool) -> None:
    assert same_json(expected, got) is same


def test_output_ignores_trailing_spaces_and_final_newlines_only() -> None:
    assert normalised_output("30  \n\n") == normalised_output("30")
    assert normalised_output(" 30") != normalised_output("30")


def test_grade_maps_answers_back_in_the_files_order() -> None:
    outcome = RunOutcome(exit_code=0, stdout="30\n", calls=(CallOutcome(value="6"), CallOutcome(value="1")))
    result = grade(EXERCISE, outcome, ExecutionStatus.OK)
    assert [c.passed for c in result.checks] == [False, True, True] and not result.passed
    assert result.checks[0].hidden and result.checks[0].expected is None


def test_a_tampered_channel_fails_every_call_check() -> None:
    outcome = RunOutcome(exit_code=0, stdout="30\n", calls=(CallOutcome(value="6"), CallOutcome(value="0")), calls_tampered=True)
    result = grade(EXERCISE, outcome, ExecutionStatus.OK)
    assert [c.passed for c in result.checks] == [False, True, False]
    assert result.checks[2].error is not None and "no trustworthy result" in result.checks[2].error


def _line(nonce: str, i: int, **field: object) -> bytes:
    return (json.dumps({"n": nonce, "i": i, **field}) + "\n").encode()


def test_the_channel_takes_only_ordered_records_with_the_nonce() -> None:
    good = _line("abc", 0, v=6) + _line("abc", 1, e="ZeroDivisionError: x")
    assert read_results(good, "abc", 2) == ([CallOutcome(value="6"), CallOutcome(error="ZeroDivisionError: x")], False)
    assert read_results(_line("abc", 0, v=6), "abc", 2) == ([CallOutcome(value="6")], False)  # the run stopped
    for bad in (
        _line("xyz", 0, v=6),  # another nonce
        _line("abc", 1, v=6),  # out of order
        _line("abc", 0, v=6) + _line("abc", 0, v=6),  # repeated
        _line("abc", 0, v=6) + b"print\n",  # a stray line
        _line("abc", 0, v=6)[:-1],  # cut short
        _line("abc", 0, v=6, passed=True),  # extra fields
        _line("abc", 0, v=6) + _line("abc", 1, v=0) + _line("abc", 2, v=0),  # more than asked
        b"x" * (CHANNEL_CAP + 1),
    ):
        assert read_results(bad, "abc", 2) == ([], True), bad
