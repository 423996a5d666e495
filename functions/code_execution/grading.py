"""Grading: what a run of an exercise may be asked, and how its answers compare (pure).

Only a check's ``call`` and ``args`` go into the sandbox (``calls_for``); the expected
values stay here, and ``grade`` compares them with what the run returned, as JSON
values: numbers by value (``6`` equals ``6.0``, floats within 1e-9), but ``true`` is no
``1``; a tuple was sent as a list. A stdout check compares the program's whole output,
ignoring trailing spaces on each line and final newlines.

Visible checks are called before hidden ones, so a program cannot carry a hidden
check's arguments into a value the learner is shown.
"""

from __future__ import annotations

import json
import math
from typing import Any

from learnflow.events import MAX_CHECK_TEXT, Check, CheckResult, ExecutionStatus, Exercise, Grade

from .outcome import RunOutcome


def _call_order(exercise: Exercise) -> list[int]:
    """Indices of the call checks, in the order the sandbox calls them: visible first."""
    indices = [i for i, c in enumerate(exercise.checks) if c.call is not None]
    return sorted(indices, key=lambda i: exercise.checks[i].hidden)


def calls_for(exercise: Exercise) -> list[dict[str, str]]:
    """What the sandbox is asked to call: names and arguments, never an expected value."""
    return [{"call": str(exercise.checks[i].call), "args": json.dumps(exercise.checks[i].args)} for i in _call_order(exercise)]


def same_json(expected: Any, got: Any) -> bool:
    """Equal as JSON values (see the module's docstring)."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and expected == got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        if isinstance(expected, int) and isinstance(got, int):
            return expected == got
        return math.isclose(expected, got, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(same_json(e, g) for e, g in zip(expected, got, strict=True))
    if isinstance(expected, dict) and isinstance(got, dict):
        return expected.keys() == got.keys() and all(same_json(expected[k], got[k]) for k in expected)
    return type(expected) is type(got) and expected == got


def normalised_output(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n")


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CHECK_TEXT else text[: MAX_CHECK_TEXT - 1] + "…"


def _result(check: Check, passed: bool, expected: str, got: str | None, error: str | None) -> CheckResult:
    if check.hidden:
        return CheckResult(name=check.name, passed=passed, hidden=True)
    return CheckResult(
        name=check.name,
        passed=passed,
        expected=_cut(expected),
        got=None if got is None else _cut(got),
        error=None if error is None else error[:600],
    )


def _missing(outcome: RunOutcome, status: ExecutionStatus) -> str:
    if outcome.calls_tampered:
        return "no trustworthy result: something besides the checks wrote to their channel"
    if status is not ExecutionStatus.OK:
        return f"not called: the program did not finish ({status.value})"
    return "no result: the run ended before this call returned"


def grade(exercise: Exercise, outcome: RunOutcome, status: ExecutionStatus) -> Grade:
    """The checks of ``exercise`` against what the run printed and returned."""
    position = {index: n for n, index in enumerate(_call_order(exercise))}
    answers = () if outcome.calls_tampered else outcome.calls
    results = []
    for index, check in enumerate(exercise.checks):
        if check.stdout is not None:
            passed = not outcome.stdout_truncated and normalised_output(outcome.stdout) == normalised_output(check.stdout)
            results.append(_result(check, passed, json.dumps(check.stdout), json.dumps(outcome.stdout), None))
            continue
        expected = json.dumps(check.returns)
        n = position[index]
        answer = answers[n] if n < len(answers) else None
        if answer is None:
            results.append(_result(check, False, expected, None, _missing(outcome, status)))
        elif answer.value is None:
            results.append(_result(check, False, expected, None, answer.error or "no value"))
        else:
            passed = same_json(check.returns, json.loads(answer.value))
            results.append(_result(check, passed, expected, answer.value, None))
    return Grade(passed=all(r.passed for r in results), checks=results)
