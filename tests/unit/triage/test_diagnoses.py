"""The diagnosis table, row by row: real messages (CPython 3.11-3.13 wordings) and the
line they came with, each diagnosed by the row meant for it, into its concept."""

from __future__ import annotations

from collections import Counter

import pytest

from functions.triage.clues import concept_of_type
from functions.triage.diagnoses import DIAGNOSES, diagnose
from functions.triage.diagnosis import Diagnosis
from learnflow.events import Concept as C
from learnflow.events import ExecutionError, ExecutionStatus, Fact

from ...support.diagnoses import EXAMPLES, Example


def diagnosis_of(exception: str, message: str, line: str = "") -> Diagnosis:
    error = ExecutionError(type=exception, message=message, line=2, line_text=line)
    return diagnose(ExecutionStatus.ERROR, error, [])


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_each_example_is_diagnosed_by_its_row(example: Example) -> None:
    diagnosis = example.diagnose()
    assert (diagnosis.id, diagnosis.concept, diagnosis.struggle_type) == (
        example.diagnosis,
        example.concept,
        example.struggle_type,
    )


def test_every_row_has_an_example_and_every_example_a_row() -> None:
    assert {e.diagnosis for e in EXAMPLES} == {row.id for row in DIAGNOSES}


def test_row_ids_are_unique_and_the_last_row_answers_anything() -> None:
    assert [i for i, n in Counter(row.id for row in DIAGNOSES).items() if n > 1] == []
    last = DIAGNOSES[-1]
    assert (last.id, last.errors, last.pattern.pattern, last.needs) == ("unrecognised", frozenset(), "", frozenset())


@pytest.mark.parametrize(
    ("error", "message", "line", "diagnosis"),
    [
        ("SyntaxError", "invalid syntax", "x = [1, 2] [", "unrecognised"),  # nothing the line shows: honest
        ("SyntaxError", "expected ':'", "lambda x", "unrecognised"),  # a colon, but no block statement to name
        ("ZeroDivisionError", "division by zero", "x = 1 / 0", "division_by_literal_zero"),  # the type says it all
        ("KeyError", "'bob'", 'print(ages["bob"])', "key_missing"),  # a dictionary, as the type says
        ("TypeError", "an unheard-of message", "x()", "unrecognised"),
    ],
)
def test_a_diagnosis_may_leave_the_concept_to_the_type_and_constructs(
    error: str, message: str, line: str, diagnosis: str
) -> None:
    found = diagnosis_of(error, message, line)
    assert (found.id, found.concept) == (diagnosis, None)


def test_a_message_for_another_exception_is_not_read() -> None:
    assert diagnosis_of("ValueError", "'str' object has no attribute 'append'").id == "unrecognised"


def test_the_facts_are_what_the_line_and_the_message_show() -> None:
    found = diagnosis_of("IndexError", "list index out of range", "print(nums[5])")
    assert found.id == "index_literal_out_of_range"
    # What the message said, and the pieces of the line the row needs: nothing else of the line.
    assert found.facts == {
        Fact.SEQ: "nums",
        Fact.SUBSCRIPT: "nums[5]",
        Fact.LITERAL_INDEX: "5",
        Fact.CONTAINER: "list",
    }


def test_a_name_used_without_its_module_names_the_module() -> None:
    # date and sqrt are both members of a module: one table, one answer (issue 24).
    for name, module in (("sqrt", "math"), ("date", "datetime")):
        found = diagnosis_of("NameError", f"name '{name}' is not defined", f"print({name}(1))")
        assert (found.id, found.concept, found.facts[Fact.MEMBER_OF]) == ("module_member_without_module", C.IMPORTS, module)


@pytest.mark.parametrize(
    ("type_name", "concept"),
    [
        ("str", C.STRINGS),
        ("NoneType", C.FUNCTIONS),
        ("KeyError", C.EXCEPTIONS),
        ("Dog", C.CLASSES),
        ("dict_keys", C.DICTIONARIES),
    ],
)
def test_a_type_named_in_a_message_points_to_its_concept(type_name: str, concept: C) -> None:
    assert concept_of_type(type_name) is concept
