"""functions-framework entry point of concepts: ``struggle-detected`` in, ``proactive-help`` out."""

from __future__ import annotations

import functions_framework
from cloudevents.http import CloudEvent

from functions.concepts.bootstrap import get_explainer, get_knowledge_base
from functions.concepts.explain import PRODUCER, explain_struggle
from learnflow.events import STRUGGLE_DETECTED, Envelope, HelpExplanation, StruggleDetected
from learnflow.serverless import answer_undecodable, handle_cloudevent, serve_health_probes


def explain_struggle_events(event: Envelope) -> list[HelpExplanation]:
    # The knowledge base and explainer are built at the first event, not at import.
    assert isinstance(event, StruggleDetected)  # the only type struggle-detected carries
    return explain_struggle(event, get_knowledge_base(), get_explainer())


# Input the framework cannot parse is poison (400 with a reason), not a retried 500.
functions_framework.errorhandler(Exception)(answer_undecodable)
# GET /health/liveness and /health/readiness answer 200 (kn func deploy probes them).
serve_health_probes()


@functions_framework.cloud_event
def handle(cloud_event: CloudEvent) -> None:
    handle_cloudevent(cloud_event, STRUGGLE_DETECTED, explain_struggle_events, producer=PRODUCER)
