"""Concept resolution: every construct of code execution's vocabulary is accounted for."""

from __future__ import annotations

import pytest

from functions.triage.concept_resolution import (
    AFFINITY,
    CONSTRUCT_CONCEPTS,
    DEFAULT_ERRORS,
    DEFINING_ERRORS,
    ConceptSource,
    resolve_concept,
)
from learnflow.events import FALLBACK_CONCEPT, Concept, Construct

# The vocabulary code execution reports (ExecutionResult.constructs / ExecutionError.constructs):
# the events library's, which code execution's analysis is tested against, so a construct
# added there and forgotten here fails this file.
CONSTRUCT_VOCABULARY = tuple(Construct)
DELIBERATELY_UNMAPPED = {Construct.PRINT_CALL}  # on nearly every line: names no concept


def test_every_construct_maps_to_a_published_concept() -> None:
    assert set(CONSTRUCT_VOCABULARY) - DELIBERATELY_UNMAPPED == set(CONSTRUCT_CONCEPTS)
    assert all(isinstance(c, Concept) for c in CONSTRUCT_CONCEPTS.values())


def test_error_tables_name_published_concepts_and_known_constructs() -> None:
    assert all(isinstance(c, Concept) for c in {**DEFINING_ERRORS, **DEFAULT_ERRORS}.values())
    assert {c for prefer in AFFINITY.values() for c in prefer} <= set(CONSTRUCT_VOCABULARY)


@pytest.mark.parametrize("construct", sorted(set(CONSTRUCT_VOCABULARY) - DELIBERATELY_UNMAPPED))
def test_a_lone_construct_on_the_failing_line_names_its_concept(construct: Construct) -> None:
    resolved = resolve_concept(error_type="SyntaxError", line_constructs=[construct])
    assert resolved.concept is CONSTRUCT_CONCEPTS[construct]
    assert resolved.source is ConceptSource.LINE


def test_the_failing_line_outranks_the_program() -> None:
    resolved = resolve_concept(
        error_type="SyntaxError", line_constructs=["for_loop"], program_constructs=["class_def", "for_loop"]
    )
    assert resolved.concept is Concept.FOR_LOOPS


def test_nothing_known_gives_the_documented_fallback() -> None:
    resolved = resolve_concept(error_type="SyntaxError", line_constructs=["print_call", "not_a_construct"])
    assert (resolved.concept, resolved.source) == (FALLBACK_CONCEPT, ConceptSource.FALLBACK)
