"""The concepts domain function: one ``struggle.detected`` in, one ``help.explanation`` out."""

from __future__ import annotations

from learnflow.events import HelpExplanation, StruggleDetected, follow_up

from .compose import Material
from .explainer import Explainer
from .knowledge_base import KnowledgeBase
from .metrics import UNKNOWN_CONCEPTS

PRODUCER = "concepts"


def material_for(kb: KnowledgeBase, concept: str) -> Material:
    """The entry of ``concept``, or the general one; an unknown concept is counted, not failed."""
    entry = kb.entry_for(concept)
    if entry is None:
        # Triage emits only published concepts; an unknown one means a producer is
        # ahead of this knowledge base, which is worth a metric but not a dead letter.
        UNKNOWN_CONCEPTS.labels(concept=concept).inc()
        return Material(kb.general, concept, known=False)
    return Material(entry, concept, known=True)


def explain_struggle(event: StruggleDetected, kb: KnowledgeBase, explainer: Explainer) -> list[HelpExplanation]:
    """The explanation to push for ``event``: eventId uuid5(input eventId, "concepts"), same learner."""
    struggle = event.data
    explanation = explainer.explain(material_for(kb, struggle.concept), struggle)
    data = {
        "title": explanation.title,
        "body": explanation.body,
        "exampleCode": explanation.example_code,
        "expectedOutput": explanation.expected_output,
        "concept": struggle.concept,
        "struggleType": struggle.struggle_type,
        "suggestedAction": struggle.suggested_action,
        "sourceEventId": event.event_id,
        "explainer": explanation.explainer,
    }
    return [follow_up(HelpExplanation, cause=event, producer=PRODUCER, data=data)]
