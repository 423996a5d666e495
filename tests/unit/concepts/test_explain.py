"""explain_struggle with the knowledge base: every concept, struggle type and action."""

from __future__ import annotations

import itertools
import uuid

import pytest
from prometheus_client import REGISTRY

from functions.concepts.explain import explain_struggle
from functions.concepts.explainer import KnowledgeBaseExplainer
from functions.concepts.knowledge_base import load_knowledge_base
from learnflow.events import Concept, HelpExplanation, StruggleDetected, StruggleType, SuggestedAction, follow_up_id, new_event

from ...support.evidence import INDEX_ERROR_EVIDENCE

KB = load_knowledge_base()
EXPLAINER = KnowledgeBaseExplainer(KB)


def struggle(concept: str, struggle_type: str = "syntax_error", action: str = "review_syntax") -> StruggleDetected:
    return new_event(
        StruggleDetected,
        user_id=uuid.uuid4(),
        data={"struggleType": struggle_type, "concept": concept, "confidence": 0.8, "suggestedAction": action},
    )


def unknown_count(concept: str) -> float:
    return REGISTRY.get_sample_value("learnflow_concepts_unknown_total", {"concept": concept}) or 0.0


@pytest.mark.parametrize(
    ("concept", "struggle_type", "action"),
    list(itertools.product(list(Concept), list(StruggleType), list(SuggestedAction))),
    ids=lambda v: str(v),
)
def test_every_combination_gives_a_valid_tailored_explanation(
    concept: Concept, struggle_type: StruggleType, action: SuggestedAction
) -> None:
    event = struggle(concept.value, struggle_type.value, action.value)

    (out,) = explain_struggle(event, KB, EXPLAINER)

    entry = KB.entries[concept.value]
    layout = KB.layout_for(action)
    assert isinstance(out, HelpExplanation)  # validated against the contract's limits
    assert out.data.title == layout.title.format(title=entry.title)
    assert out.data.body.startswith(layout.lead.strip())
    if "variant" in layout.sections:
        assert entry.variants.for_type(struggle_type) in out.data.body
    assert (out.data.example_code, out.data.expected_output) == (entry.example.code, entry.example.output)
    assert (out.data.concept, out.data.struggle_type, out.data.suggested_action) == (concept, struggle_type, action)
    assert out.data.explainer == "knowledge_base"


def test_output_identity_follows_the_input() -> None:
    event = struggle("recursion")
    (out,) = explain_struggle(event, KB, EXPLAINER)
    assert out.event_id == follow_up_id(event.event_id, "concepts")
    assert out.data.source_event_id == event.event_id
    assert out.user_id == event.user_id


def test_an_unknown_concept_gets_the_general_explanation_and_is_counted() -> None:
    before = unknown_count("decorators")

    (out,) = explain_struggle(struggle("decorators", "concept_confusion", "explain_concept"), KB, EXPLAINER)

    assert out.data.concept == "decorators"
    assert out.data.title == KB.layout_for(SuggestedAction.EXPLAIN_CONCEPT).title.format(title=KB.general.title)
    assert "no dedicated note on `decorators`" in out.data.body
    assert out.data.example_code == KB.general.example.code
    assert unknown_count("decorators") == before + 1


def test_a_known_concept_is_not_counted_as_unknown() -> None:
    before = unknown_count("lists")
    explain_struggle(struggle("lists"), KB, EXPLAINER)
    assert unknown_count("lists") == before


CODE_EVIDENCE = INDEX_ERROR_EVIDENCE


def with_evidence(concept: str, action: str, evidence: dict[str, object]) -> StruggleDetected:
    return new_event(
        StruggleDetected,
        user_id=uuid.uuid4(),
        data={
            "struggleType": "logic_error",
            "concept": concept,
            "confidence": 0.75,
            "suggestedAction": action,
            "evidence": evidence,
        },
    )


@pytest.mark.parametrize("action", list(SuggestedAction))
def test_code_evidence_puts_the_learners_line_first_and_keeps_the_tested_example(action: SuggestedAction) -> None:
    (out,) = explain_struggle(with_evidence("indexing_and_slicing", action.value, CODE_EVIDENCE), KB, EXPLAINER)

    body = out.data.body
    layout = KB.layout_for(action)
    assert body.startswith(layout.lead.strip() + "\n\n**Line 2 of your code**\n\n```python\nprint(nums[5])\n```")
    assert "`IndexError: list index out of range`" in body
    assert "position 5, the sixth item" in body  # what the message means for that line
    assert "**Next step:** Print `len(nums)` just before line 2" in body
    entry = KB.entries["indexing_and_slicing"]
    assert entry.example.code.strip() in body and entry.example.output.strip() in body
    assert body.index("**Line 2") < body.index("**Next step:**") < body.index(entry.example.code.strip())


@pytest.mark.parametrize("action", list(SuggestedAction))
def test_help_for_a_named_mistake_says_nothing_about_other_mistakes(action: SuggestedAction) -> None:
    # keyword_as_name is about variables; the entry's opening, common mistakes and hint speak
    # of NameErrors and copies, which are other mistakes: left out (issue 30).
    evidence = {
        "sourceEventType": "code.executed",
        "status": "error",
        "exceptionType": "SyntaxError",
        "message": "invalid syntax",
        "line": 1,
        "lineText": "def = 2",
        "diagnosis": "keyword_as_name",
        "facts": {"keyword_name": "def"},
    }
    (out,) = explain_struggle(with_evidence("variables", action.value, evidence), KB, EXPLAINER)
    entry = KB.entries["variables"]
    body = out.data.body
    assert "`def` is one of Python's keywords" in body
    for general in (*entry.common_mistakes, entry.hint, *(entry.variants.for_type(t) for t in StruggleType)):
        assert general not in body
    assert entry.example.code.strip() in body


def test_help_for_an_unrecognised_error_keeps_the_general_advice() -> None:
    evidence = {**CODE_EVIDENCE, "diagnosis": "unrecognised", "facts": {}}
    (out,) = explain_struggle(with_evidence("indexing_and_slicing", "give_hint", evidence), KB, EXPLAINER)
    assert KB.entries["indexing_and_slicing"].hint in out.data.body


def test_a_timeout_has_no_line_to_quote_but_says_what_happened() -> None:
    timeout = {"sourceEventType": "code.executed", "status": "timeout", "constructs": [], "diagnosis": "ran_out_of_time"}
    (out,) = explain_struggle(with_evidence("while_loops", "give_hint", timeout), KB, EXPLAINER)
    assert "**Your program** did not finish: it was stopped when its time ran out." in out.data.body
    assert "**Next step:**" in out.data.body and "```python\n" in out.data.body  # the example, still


def test_activity_evidence_and_no_evidence_read_as_before() -> None:
    activity = {"sourceEventType": "help.requested", "attempts": 4, "duration": 700}
    (with_activity,) = explain_struggle(with_evidence("lists", "show_example", activity), KB, EXPLAINER)
    (without,) = explain_struggle(struggle("lists", "logic_error", "show_example"), KB, EXPLAINER)
    assert with_activity.data.body == without.data.body
    assert "of your code" not in with_activity.data.body


def test_a_line_full_of_backticks_is_still_quoted_verbatim() -> None:
    line = 'print(f"``{x}```")'
    evidence = {**CODE_EVIDENCE, "exceptionType": "NameError", "message": "name 'x' is not defined", "lineText": line}
    (out,) = explain_struggle(with_evidence("variables", "give_hint", evidence), KB, EXPLAINER)
    assert f"\n````python\n{line}\n````\n" in out.data.body
