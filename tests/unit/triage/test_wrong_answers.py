"""A graded run that ends cleanly but fails a check is a logic error about its exercise; a crash is not."""

from __future__ import annotations

import json
import uuid

from hypothesis import given
from hypothesis import strategies as st

from functions._exercises import DEFAULT_CATALOGUE
from functions.concepts.knowledge_base import load_knowledge_base
from functions.triage.clues import Answer
from functions.triage.diagnoses import diagnose_answer
from functions.triage.rules import detect_struggle
from functions.triage.settings import TriageSettings
from learnflow.events import (
    MAX_CHECK_TEXT,
    CheckEvidence,
    CodeEvidence,
    CodeExecuted,
    ExecutionStatus,
    StruggleType,
    load_catalogue,
    new_event,
)

SUM_OF_EVENS = uuid.UUID("6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90")
PRINTS = "def sum_evens(numbers):\n    print(sum(n for n in numbers if n % 2 == 0))\n\n\nsum_evens(list(range(1, 11)))\n"
STDOUT = {"name": "prints the total of 1..10's evens", "passed": True, "expected": '"30\\n"', "got": '"30\\n"'}
CALL = {"name": "sum_evens([1, 2, 3, 4])", "passed": False, "expected": "6", "got": "null"}
TEMPLATES = load_knowledge_base().templates
HIDDEN = {"name": "an empty list", "passed": False, "hidden": True}


def _executed(
    checks: list[dict[str, object]], *, exercise: uuid.UUID = SUM_OF_EVENS, status: str = "ok", **data: object
) -> CodeExecuted:
    grade = {"passed": all(c["passed"] for c in checks), "checks": checks}
    return new_event(
        CodeExecuted,
        user_id=uuid.uuid4(),
        data={"exerciseId": exercise, "submissionId": uuid.uuid4(), "status": status, "grade": grade, "code": PRINTS, **data},
    )


def _settings() -> TriageSettings:
    return TriageSettings(LEARNFLOW_EXERCISES=DEFAULT_CATALOGUE)


def test_a_wrong_answer_is_a_logic_error_about_the_exercise_with_the_failing_check() -> None:
    [struggle] = detect_struggle(_executed([STDOUT, CALL, HIDDEN]), _settings())
    data = struggle.data
    assert data.struggle_type is StruggleType.LOGIC_ERROR
    assert data.concept in {c.value for c in load_catalogue(DEFAULT_CATALOGUE).get(SUM_OF_EVENS).concepts}  # type: ignore[union-attr]
    assert isinstance(data.evidence, CodeEvidence)
    assert data.evidence.diagnosis == "printed_instead_of_returned"
    assert data.evidence.check == CheckEvidence(name="sum_evens([1, 2, 3, 4])", expected="6", got="null")
    assert data.evidence.status is ExecutionStatus.OK


def test_a_hidden_check_travels_by_name_only() -> None:
    passed = {**CALL, "passed": True, "got": "6"}
    [struggle] = detect_struggle(_executed([STDOUT, passed, HIDDEN]), _settings())
    evidence = struggle.data.evidence
    assert isinstance(evidence, CodeEvidence)
    assert evidence.diagnosis == "hidden_check_failed"
    assert evidence.check == CheckEvidence(name="an empty list", hidden=True)
    wire = struggle.to_wire_dict()["data"]["evidence"]
    assert (wire["check"]["expected"], wire["check"]["got"], wire.get("facts", {}).keys() & {"expected", "got"}) == (
        None,
        None,
        set(),
    )


def test_a_passing_grade_and_an_ungraded_clean_run_are_no_struggle() -> None:
    assert detect_struggle(_executed([STDOUT, {**CALL, "passed": True, "got": "6"}]), _settings()) == []
    ungraded = _executed([STDOUT]).data.model_copy(update={"grade": None})
    assert detect_struggle(_executed([STDOUT]).model_copy(update={"data": ungraded}), _settings()) == []


def test_a_crash_keeps_its_own_diagnosis() -> None:
    error = {"type": "TypeError", "message": "unsupported operand type(s) for +=: 'int' and 'str'", "line": 4,
             "lineText": "        total += word", "constructs": ["augmented_assignment"]}  # fmt: skip
    failed = {**CALL, "got": None, "error": "not called: the program did not finish (error)"}
    [struggle] = detect_struggle(_executed([failed], status="error", error=error), _settings())
    evidence = struggle.data.evidence
    assert isinstance(evidence, CodeEvidence)
    assert evidence.check is None and evidence.exception_type == "TypeError"
    assert evidence.diagnosis != "wrong_answer"


def test_an_exercise_triage_does_not_know_falls_back_on_the_program() -> None:
    [struggle] = detect_struggle(_executed([STDOUT, CALL], exercise=uuid.uuid4()), _settings())
    assert struggle.data.struggle_type is StruggleType.LOGIC_ERROR
    assert isinstance(struggle.data.evidence, CodeEvidence) and struggle.data.evidence.check is not None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@given(
    expected=JSON,
    got=st.none() | JSON,
    printed=st.booleans(),
    code=st.sampled_from(["", "def f(x):\n    return x + x / 2\n", "def f(x):\n    print(x)\n", "def f(:\n"]),
)
def test_any_two_values_get_a_wrong_answer_row_whose_template_fills(
    expected: object, got: object, printed: bool, code: str
) -> None:
    def text(value: object) -> str:
        dumped = json.dumps(value)
        return dumped if len(dumped) <= MAX_CHECK_TEXT else dumped[: MAX_CHECK_TEXT - 1] + "…"

    answer = Answer("a check", False, text(expected), None if got is None else text(got), None, None if printed else "f")
    diagnosis = diagnose_answer(answer, code)
    assert diagnosis.id in TEMPLATES and diagnosis.struggle_type is StruggleType.LOGIC_ERROR
    template = TEMPLATES[diagnosis.id]
    words = {str(k): v for k, v in diagnosis.facts.items()}
    template.meaning.format_map(words)  # every field the template names is a fact the row found
    template.next_step.format_map(words)
