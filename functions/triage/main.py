"""functions-framework entry point of triage: ``learning-events`` in, ``struggle-detected`` out."""

from __future__ import annotations

import functions_framework
from cloudevents.http import CloudEvent

from functions.triage.rules import PRODUCER, detect_struggle
from functions.triage.settings import get_settings
from learnflow.events import LEARNING_EVENTS, Envelope, StruggleDetected
from learnflow.serverless import answer_undecodable, handle_cloudevent, serve_health_probes


def detect_struggle_events(event: Envelope) -> list[StruggleDetected]:
    # Settings are read at the first event, not at import, so importing has no I/O.
    return detect_struggle(event, get_settings())


# Input the framework cannot parse is poison (400 with a reason), not a retried 500.
functions_framework.errorhandler(Exception)(answer_undecodable)
# GET /health/liveness and /health/readiness answer 200 (kn func deploy probes them).
serve_health_probes()


@functions_framework.cloud_event
def handle(cloud_event: CloudEvent) -> None:
    handle_cloudevent(cloud_event, LEARNING_EVENTS, detect_struggle_events, producer=PRODUCER)
