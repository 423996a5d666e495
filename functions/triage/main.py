"""functions-framework entry point of triage: ``learning-events`` in, ``struggle-detected`` out."""

from __future__ import annotations

import functions_framework
from cloudevents.http import CloudEvent

from functions.triage.rules import PRODUCER, detect_struggle
from functions.triage.settings import get_settings
from learnflow.contracts import Envelope, StruggleDetected
from learnflow.handler import handle_cloudevent
from learnflow.topics import LEARNING_EVENTS


def detect_struggle_events(event: Envelope) -> list[StruggleDetected]:
    # Settings are read at the first event, not at import, so importing has no I/O.
    return detect_struggle(event, get_settings())


@functions_framework.cloud_event
def handle(cloud_event: CloudEvent) -> None:
    handle_cloudevent(cloud_event, LEARNING_EVENTS, detect_struggle_events, producer=PRODUCER)
