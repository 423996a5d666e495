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
