"""The situations table through the real rules: situations/*.yaml (events as written) and
programs/*.yaml (programs run through the real sandbox first)."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from functions.code_execution.limits import Limits
from functions.code_execution.sandbox import Sandbox
from functions.code_execution.service import CodeExecution
from functions.triage.rules import detect_struggle
from functions.triage.settings import TriageSettings
from learnflow.events import (
    STRUGGLE_DETECTED,
    CodeExecuted,
    CodeSubmitted,
    ExecutionStatus,
    StruggleDetected,
    StruggleType,
    follow_up_id,
    new_event,
    topic_of,
)
from learnflow.serverless import load_settings

from .situations import Program, Situation, load_programs, load_situations

SITUATIONS = load_situations()


@pytest.mark.parametrize("situation", SITUATIONS, ids=[s.id for s in SITUATIONS])
def test_situation(situation: Situation) -> None:
    settings = load_settings(TriageSettings, **situation.env)
    event = situation.event()

    outputs = detect_struggle(event, settings)

    if situation.expect is None:
        assert outputs == []
        return
    assert len(outputs) == 1
    (out,) = outputs
    data = out.to_wire_dict()["data"]
    evidence = data.pop("evidence")
    assert data == situation.expect
    assert evidence["sourceEventType"] == situation.event_type
    assert isinstance(out, StruggleDetected)
    assert out.event_id == follow_up_id(event.event_id, "triage")
    assert out.user_id == event.user_id
    # Never back onto learning-events, where triage would read its own verdict.
    assert topic_of(out) is STRUGGLE_DETECTED


def test_table_covers_every_struggle_type_and_the_silent_cases() -> None:
    counts = Counter(s.expect["struggleType"] if s.expect else None for s in SITUATIONS)
    assert len(SITUATIONS) >= 40
    assert {t.value for t in StruggleType} <= set(counts)
    assert counts[None] >= 5


def test_situation_names_are_unique() -> None:
    names = Counter(s.id for s in SITUATIONS)
    assert [n for n, c in names.items() if c > 1] == []


# --- the programs table: real programs through the real sandbox -------------------------

PROGRAMS = load_programs()
# Generous enough for a loaded machine; runaway programs cost about one CPU second each.
PROGRAM_LIMITS = Limits(cpu_seconds=1, wall_seconds=4.0)
TYPE_GOAL, CONCEPT_GOAL = 0.95, 0.90
# Every kind of error a beginner meets, by how the run ends.
NOVICE_ERROR_CLASSES = {
    "syntax": {"SyntaxError"},
    "indentation": {"IndentationError", "TabError"},
    "names": {"NameError", "UnboundLocalError"},
    "types": {"TypeError"},
    "attributes": {"AttributeError"},
    "indexing": {"IndexError"},
    "keys": {"KeyError"},
    "values": {"ValueError"},
    "division": {"ZeroDivisionError"},
    "recursion": {"RecursionError"},
    "infinite loops": {"timeout", "output_exceeded", "memory_exceeded"},
    "imports": {"ModuleNotFoundError", "ImportError"},
}


@dataclass(frozen=True)
class ProgramRun:
    program: Program
    executed: CodeExecuted
    verdict: dict[str, str] | None  # struggleType and concept, None for no struggle
    evidence: dict[str, Any] | None


def run_program(service: CodeExecution, program: Program) -> ProgramRun:
    submission = new_event(
        CodeSubmitted,
        user_id=uuid.uuid4(),
        data={"exerciseId": str(uuid.uuid4()), "code": program.code, "language": "python"},
    )
    (executed,) = service.run_submission(submission)
    outputs = detect_struggle(executed, load_settings(TriageSettings))
    if not outputs:
        return ProgramRun(program, executed, None, None)
    data = outputs[0].to_wire_dict()["data"]
    return ProgramRun(program, executed, {k: data[k] for k in ("struggleType", "concept")}, data["evidence"])


@pytest.fixture(scope="module")
def program_runs() -> Iterator[dict[str, ProgramRun]]:
    """Every program, run once through one warm sandbox (two runs in flight)."""
    with Sandbox(PROGRAM_LIMITS, size=2) as sandbox, ThreadPoolExecutor(2) as pool:
        service = CodeExecution(sandbox, PROGRAM_LIMITS)
        runs = list(pool.map(lambda p: run_program(service, p), PROGRAMS))
    yield {run.program.id: run for run in runs}


def accuracy(runs: Iterable[ProgramRun]) -> tuple[float, float, list[str]]:
    """Share of the right struggle type (or no struggle), of the right concept, and the misses."""
    runs = list(runs)
    right_type = right_concept = 0
    misses = []
    for run in runs:
        expected, got = run.program.expect, run.verdict
        type_ok = (expected is None) == (got is None) and (
            expected is None or (got is not None and expected["struggleType"] == got["struggleType"])
        )
        concept_ok = (expected is None and got is None) or (
            expected is not None and got is not None and expected["concept"] == got["concept"]
        )
        right_type += type_ok
        right_concept += concept_ok
        if not (type_ok and concept_ok):
            error = run.executed.data.error
            said = f"{error.type}: {error.message}" if error else run.executed.data.status.value
            misses.append(f"{run.program.id}: expected {expected}, got {got} ({said})")
    return right_type / len(runs), right_concept / len(runs), misses


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.id for p in PROGRAMS])
def test_program_ends_as_the_table_says(program: Program, program_runs: dict[str, ProgramRun]) -> None:
    run = program_runs[program.id]
    result = run.executed.data
    ended = result.error.type if result.status is ExecutionStatus.ERROR and result.error else result.status.value
    assert ended in program.ends, f"{program.id}: the run ended with {ended}, the table says {sorted(program.ends)}"
    if result.error is not None and result.error.line is not None:
        # The evidence quotes exactly the line Python named.
        assert result.error.line_text == program.code.splitlines()[result.error.line - 1]


def test_triage_reads_the_programs_as_a_tutor_would(program_runs: dict[str, ProgramRun]) -> None:
    type_share, concept_share, misses = accuracy(program_runs.values())
    report = (
        f"struggle type {type_share:.3f}, concept {concept_share:.3f} on {len(program_runs)} programs; misses:\n"
        + "\n".join(misses)
    )
    print(report)
    assert type_share >= TYPE_GOAL and concept_share >= CONCEPT_GOAL, report


def test_the_evidence_holds_the_failing_line_and_nothing_else_of_the_program(program_runs: dict[str, ProgramRun]) -> None:
    for run in program_runs.values():
        if run.evidence is None:
            continue
        error = run.executed.data.error
        assert run.evidence["lineText"] == (error.line_text if error else None)
        text = json.dumps(run.evidence)
        failing = run.evidence["lineText"] or ""
        for line in run.program.code.splitlines():
            # Any other line of six or more characters would show up verbatim.
            if len(line.strip()) >= 6 and line.strip() not in failing and line.strip() not in (run.evidence["message"] or ""):
                assert json.dumps(line.strip())[1:-1] not in text, f"{run.program.id}: {line!r} leaked into the evidence"
        printed = run.executed.data.stdout.strip()
        if len(printed) >= 6 and printed not in failing and printed not in (run.evidence["message"] or ""):
            assert printed not in text, f"{run.program.id}: its output leaked into the evidence"


def test_the_programs_cover_every_novice_error_class() -> None:
    assert len(PROGRAMS) >= 150
    ends = set().union(*(p.ends for p in PROGRAMS))
    assert [kind for kind, classes in NOVICE_ERROR_CLASSES.items() if not classes & ends] == []
    assert "classes" in {p.file for p in PROGRAMS}  # classes and methods
    assert Counter(p.expect is None for p in PROGRAMS)[True] >= 5  # clean runs, silent verdicts


def test_program_names_are_unique() -> None:
    names = Counter(p.id for p in PROGRAMS)
    assert [n for n, c in names.items() if c > 1] == []
