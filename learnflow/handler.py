"""The shared body of every CloudEvent function: decode, decide, publish, answer.

A function's ``main.py`` stays a thin entry point::

    @functions_framework.cloud_event
    def handle(cloud_event: CloudEvent) -> None:
        handle_cloudevent(cloud_event, LEARNING_EVENTS, detect_struggle, producer="triage")

Domain code (``process``) takes a validated event and returns the follow-up events;
it does no I/O. Invalid input aborts with 400 (dead-lettered), a failed publish with
503 (retried); anything else is a bug and surfaces as functions-framework's 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from cloudevents.http import CloudEvent
from flask import abort

from . import responses
from .codec.http import event_from_cloudevent
from .contracts import Envelope
from .errors import InvalidEvent, PublishError
from .publisher import Publisher, get_publisher
from .topics import Topic

log = logging.getLogger(__name__)

Process = Callable[[Envelope], Iterable[Envelope]]


def decode_or_abort(cloud_event: CloudEvent, topic: Topic, producer: str) -> Envelope:
    """The validated event, or an abort with the 400 poison response."""
    try:
        return event_from_cloudevent(cloud_event, topic)
    except InvalidEvent as exc:
        log.warning("%s: poison event %s from %s: %s", producer, cloud_event["id"], cloud_event["source"], exc.reason)
        abort(responses.poison(exc))


def publish_or_abort(events: Iterable[Envelope], publisher: Publisher) -> list[Envelope]:
    """Publish every event in order, or abort with 503 so the input is retried.

    Outputs have deterministic ids, so a retry after a partial publish repeats the
    ones already written with the same ids, and consumers drop the duplicates.
    """
    published = []
    for event in events:
        try:
            publisher.publish(event)
        except PublishError as exc:
            log.error("%s", exc)
            abort(responses.transient("publish_failed", str(exc)))
        published.append(event)
    return published


def handle_cloudevent(
    cloud_event: CloudEvent,
    topic: Topic,
    process: Process,
    *,
    producer: str,
    publisher: Publisher | None = None,
) -> list[Envelope]:
    """Decode ``cloud_event`` for ``topic``, run ``process``, publish what it returns."""
    event = decode_or_abort(cloud_event, topic, producer)
    return publish_or_abort(process(event), publisher or get_publisher(producer))
