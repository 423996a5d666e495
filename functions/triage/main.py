"""functions-framework entry point of triage: ``learning-events`` in, ``struggle-detected`` out."""

from __future__ import annotations

from functions.triage.rules import PRODUCER, detect_struggle
from functions.triage.settings import get_settings
from functions.triage.unrecognised import report_unrecognised
from learnflow.events import LEARNING_EVENTS, Envelope, StruggleDetected
from learnflow.serverless import cloud_event_function


def detect_struggle_events(event: Envelope) -> list[StruggleDetected]:
    # Settings are read at the first event, not at import, so importing has no I/O.
    verdicts = detect_struggle(event, get_settings())
    report_unrecognised(verdicts)
    return verdicts


handle = cloud_event_function(LEARNING_EVENTS, detect_struggle_events, producer=PRODUCER)
