"""What a run's evidence means for the learner's own line: a lookup of triage's diagnosis.

Every diagnosis of triage's table has a template here, every template a diagnosis, and
every template can be filled from the facts its row always finds; each example of
``tests/support/diagnoses.py`` reads as the learner needs it.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from functions.concepts.knowledge_base import load_knowledge_base
from functions.concepts.reading import UNRECOGNISED, code, read_evidence
from functions.triage.diagnoses import DIAGNOSES
from functions.triage.diagnosis import Row
from learnflow.events import CodeEvidence, ExecutionStatus, Fact

from ...support.diagnoses import EXAMPLES, LINE, Example

TEMPLATES = load_knowledge_base().templates
CONCEPTS_DIR = Path(__file__).parents[3] / "functions" / "concepts"
# What the concepts function words itself, from the line and from facts (reading.fill_in).
ALWAYS = {"line", "n", "items"}
WORDED_FROM = {"a_type": "type", "a_other": "other", "a_left": "left", "a_right": "right", "position": "literal_index"}
# Facts a row's pattern brings with it, beyond its named groups (facts.message_facts).
FOLLOW_FROM = {"key": {"key_plain"}, "method": {"short"}}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_diagnosis_has_a_template_and_every_template_a_diagnosis() -> None:
    assert sorted(TEMPLATES) == sorted(row.id for row in DIAGNOSES)


def test_every_diagnosis_has_an_example_and_every_example_a_diagnosis() -> None:
    assert {e.diagnosis for e in EXAMPLES} == set(TEMPLATES)


@pytest.mark.parametrize("row", DIAGNOSES, ids=[row.id for row in DIAGNOSES])
def test_a_template_names_only_facts_its_row_always_finds(row: Row) -> None:
    groups = set(row.pattern.groupindex)
    always = {str(f) for f in row.needs} | groups | ALWAYS
    for group in groups:
        always |= FOLLOW_FROM.get(group, set())
    always |= {worded for worded, source in WORDED_FROM.items() if source in always}
    template = TEMPLATES[row.id]
    assert fields(template.meaning + template.next_step) <= always


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_the_reading_is_about_the_learners_line(example: Example) -> None:
    evidence = example.evidence()
    reading = read_evidence(evidence, TEMPLATES)
    assert (reading.line, reading.line_text) == ((LINE, example.line) if example.line is not None else (None, None))
    assert all(w in reading.meaning for w in example.meaning), reading.meaning
    assert all(w in reading.next_step for w in example.next_step), reading.next_step


def index_error(line_text: str, diagnosis: str | None = None, facts: dict[str, str] | None = None) -> CodeEvidence:
    return CodeEvidence(
        source_event_type="code.executed",
        status=ExecutionStatus.ERROR,
        exception_type="IndexError",
        message="list index out of range",
        line=3,
        line_text=line_text,
        diagnosis=diagnosis,
        facts=facts or {},
    )


def test_an_event_without_a_diagnosis_still_gets_a_reading_of_its_line() -> None:
    # A producer that knows only the seed's evidence, or an older triage.
    reading = read_evidence(index_error("print(nums[5])"), TEMPLATES)
    assert reading.line == 3 and "line 3" in reading.meaning
    assert reading.said == "IndexError: list index out of range"


def test_facts_that_do_not_fit_the_template_give_the_unrecognised_reading() -> None:
    evidence = index_error("x", "index_out_of_range", {Fact.SEQ: "nums"})
    unrecognised = TEMPLATES[UNRECOGNISED].meaning.format(n=3)
    assert read_evidence(evidence, TEMPLATES).meaning == unrecognised


def test_a_run_stopped_by_its_time_limit_has_no_line_but_still_a_next_step() -> None:
    (example,) = [e for e in EXAMPLES if e.diagnosis == "ran_out_of_time"]
    reading = read_evidence(example.evidence(), TEMPLATES)
    assert reading.line is None and reading.ended is not None and "time ran out" in reading.said
    assert "loop" in reading.meaning and reading.next_step


def test_no_file_of_the_concepts_function_reads_pythons_messages() -> None:
    """Concepts explains a diagnosis; it never matches what Python said (triage did that)."""
    texts = {p: p.read_text() for p in CONCEPTS_DIR.rglob("*") if p.suffix in (".py", ".yaml")}
    for example in EXAMPLES:
        # The fixed head of the message, before the learner's names appear in it.
        head = re.split(r"['\"(]", example.message)[0].strip()
        if len(head) >= 20:  # shorter heads are ordinary English ("closing parenthesis")
            assert [p.name for p, text in texts.items() if head in text] == [], head
    assert [p.name for p, text in texts.items() if p.suffix == ".py" and "message" in text and "re.compile" in text] == []


@given(
    exception=st.sampled_from(["TypeError", "ValueError", "NameError", "SyntaxError", "KeyError", "IndexError", "Oops"]),
    diagnosis=st.sampled_from([row.id for row in DIAGNOSES]),
    line_text=st.text(min_size=1, max_size=120).filter(lambda s: "\n" not in s and "\r" not in s),
)
def test_any_evidence_with_a_line_gets_a_reading_of_that_line(exception: str, diagnosis: str, line_text: str) -> None:
    evidence = CodeEvidence(
        source_event_type="code.executed",
        status=ExecutionStatus.ERROR,
        exception_type=exception,
        message="m",
        line=2,
        line_text=line_text,
        diagnosis=diagnosis,
    )
    reading = read_evidence(evidence, TEMPLATES)
    assert reading.line == 2 and reading.line_text == line_text


def test_inline_code_survives_backticks() -> None:
    assert code("a`b") == "`` a`b ``"
