"""Issue 25's measures: wrong and right submissions through the real sandbox, triage and concepts.

The table (tests/data/exercises/answers.yaml) holds right submissions and wrong ones
that run without raising, each labelled with the concept its mistake is about. Each is
run by code execution against the default catalogue, its ``code.executed`` judged by
triage and the verdict explained by the concepts function, as the chain does. Measured:
grading (right ones pass, wrong ones fail), logic_error recall and precision (a wrong
answer's struggle, and none for a right one), the concept against the label, and the
explanation citing the failing check (its name; for a visible check expected and got)
without quoting a line of a right solution. ``-s`` prints the figures.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from functions._exercises import DEFAULT_CATALOGUE
from functions.code_execution.limits import Limits
from functions.code_execution.sandbox import Sandbox
from functions.code_execution.service import CodeExecution
from functions.concepts.explain import explain_struggle
from functions.concepts.explainer import KnowledgeBaseExplainer
from functions.concepts.knowledge_base import load_knowledge_base
from functions.triage.rules import detect_struggle
from functions.triage.settings import TriageSettings
from learnflow.events import (
    CodeEvidence,
    CodeExecuted,
    CodeSubmitted,
    HelpExplanation,
    StruggleType,
    follow_up,
    load_catalogue,
    new_event,
)

ROOT = Path(__file__).resolve().parents[3]
TABLE = yaml.safe_load((ROOT / "tests" / "data" / "exercises" / "answers.yaml").read_text(encoding="utf-8"))
CATALOGUE = load_catalogue(DEFAULT_CATALOGUE)
LIMITS = Limits(cpu_seconds=2, wall_seconds=4.0)
KB = load_knowledge_base()


@dataclass(frozen=True)
class Submission:
    exercise: uuid.UUID
    code: str
    right: bool
    concept: str | None  # the label of a wrong one


SUBMISSIONS = [Submission(uuid.UUID(e["exercise"]), code, True, None) for e in TABLE for code in e["right"]] + [
    Submission(uuid.UUID(e["exercise"]), w["code"], False, w["concept"]) for e in TABLE for w in e["wrong"]
]


@dataclass(frozen=True)
class Outcome:
    submission: Submission
    passed: bool
    logic_error: bool  # a wrong answer's struggle: logic_error with the failing check as evidence
    concept: str | None
    cites: bool
    quotes_a_solution: bool
    diagnosis: str | None


def _solution_lines(exercise: uuid.UUID) -> set[str]:
    """Lines of the right submissions that say something (not ``def f(x):`` or ``return total``)."""
    lines = {
        line.strip() for e in TABLE if uuid.UUID(e["exercise"]) == exercise for code in e["right"] for line in code.splitlines()
    }
    return {line for line in lines if len(line) > 16 and not line.startswith("def ")}


def _cites(body: str, evidence: CodeEvidence) -> bool:
    check = evidence.check
    if check is None or check.name not in body:
        return False
    if check.hidden:
        return True
    return (check.expected or "null") in body and (check.got is None or check.got in body)


def _outcome(service: CodeExecution, settings: TriageSettings, submission: Submission) -> Outcome:
    submitted = new_event(
        CodeSubmitted,
        user_id=uuid.uuid4(),
        data={"exerciseId": str(submission.exercise), "code": submission.code, "language": "python"},
    )
    result = service.execute(submitted)
    assert result.grade is not None
    executed = follow_up(CodeExecuted, cause=submitted, producer="code-execution", data=result)
    struggles = detect_struggle(executed, settings)
    if not struggles:
        return Outcome(submission, result.grade.passed, False, None, False, False, None)
    [struggle] = struggles
    evidence = struggle.data.evidence
    assert isinstance(evidence, CodeEvidence)
    wrong_answer = struggle.data.struggle_type is StruggleType.LOGIC_ERROR and evidence.check is not None
    [explanation] = explain_struggle(struggle, KB, KnowledgeBaseExplainer(KB))
    assert isinstance(explanation, HelpExplanation)
    body = explanation.data.body
    quotes = any(line in body for line in _solution_lines(submission.exercise))
    return Outcome(
        submission, result.grade.passed, wrong_answer, struggle.data.concept, _cites(body, evidence), quotes, evidence.diagnosis
    )


@pytest.fixture(scope="module")
def outcomes() -> Iterator[list[Outcome]]:
    settings = TriageSettings(LEARNFLOW_EXERCISES=DEFAULT_CATALOGUE)
    with Sandbox(LIMITS, size=2) as sandbox:
        service = CodeExecution(sandbox, LIMITS, CATALOGUE)
        yield [_outcome(service, settings, s) for s in SUBMISSIONS]


def test_the_table_is_big_enough() -> None:
    assert sum(s.right for s in SUBMISSIONS) >= 20 and sum(not s.right for s in SUBMISSIONS) >= 60
    for s in SUBMISSIONS:
        exercise = CATALOGUE.get(s.exercise)
        assert exercise is not None
        assert s.right or s.concept in {c.value for c in exercise.concepts}, s


def test_the_measures_meet_the_goals(outcomes: list[Outcome]) -> None:
    right = [o for o in outcomes if o.submission.right]
    wrong = [o for o in outcomes if not o.submission.right]
    flagged = [o for o in outcomes if o.logic_error]
    grading = sum(o.passed == o.submission.right for o in outcomes) / len(outcomes)
    recall = sum(o.logic_error for o in wrong) / len(wrong)
    precision = sum(not o.submission.right for o in flagged) / len(flagged)
    concept = sum(o.concept == o.submission.concept for o in wrong if o.logic_error) / len(flagged)
    citing = sum(o.cites for o in flagged) / len(flagged)
    diagnoses: dict[str, int] = {}
    for o in wrong:
        diagnoses[str(o.diagnosis)] = diagnoses.get(str(o.diagnosis), 0) + 1
    print(
        f"\n{len(right)} right, {len(wrong)} wrong: grading {grading:.3f}, logic_error recall {recall:.3f} "
        f"precision {precision:.3f}, concept {concept:.3f}, citing {citing:.3f}\ndiagnoses: {diagnoses}"
    )
    for o in wrong:
        if o.concept != o.submission.concept:
            print(f"concept {o.concept} (label {o.submission.concept}), {o.diagnosis}: {o.submission.code!r}")
    assert [o.submission.code for o in outcomes if o.passed != o.submission.right] == []
    assert recall >= 0.9 and precision >= 0.9
    assert concept >= 0.85
    assert citing >= 0.95
    assert [o.submission.code for o in outcomes if o.quotes_a_solution] == []
