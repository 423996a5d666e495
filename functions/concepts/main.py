"""functions-framework entry point of concepts: ``struggle-detected`` in, ``proactive-help`` out."""

from __future__ import annotations

from functions.concepts.bootstrap import get_explainer, get_knowledge_base
from functions.concepts.explain import PRODUCER, explain_struggle
from learnflow.events import STRUGGLE_DETECTED, Envelope, HelpExplanation, StruggleDetected
from learnflow.serverless import cloud_event_function


def explain_struggle_events(event: Envelope) -> list[HelpExplanation]:
    # The knowledge base and explainer are built at the first event, not at import.
    assert isinstance(event, StruggleDetected)  # the only type struggle-detected carries
    return explain_struggle(event, get_knowledge_base(), get_explainer())


handle = cloud_event_function(STRUGGLE_DETECTED, explain_struggle_events, producer=PRODUCER)
