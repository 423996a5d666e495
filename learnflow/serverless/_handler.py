"""The shared body of every CloudEvent function: decode, decide, publish, answer.

Domain code (``process``) takes a validated event and returns the follow-up events;
it does no I/O. Invalid input aborts with 400 (dead-lettered), a failed publish or a
setting that does not validate with 503 (retried); anything else is a bug and surfaces
as functions-framework's 500. ``cloud_event_function`` (``_function.py``) builds a
function's target around ``handle_cloudevent``.

functions-framework itself answers 500 to some requests it cannot parse (a JSON array
as a structured event, a ``data_base64`` that is not a string, nesting too deep for
``json``), which the delivery layer would retry as if transient; and its own 400s are
HTML without a reason. ``answer_undecodable`` is therefore every function app's error
handler (registered by ``wire_app``, ``_app.py``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from cloudevents.http import CloudEvent
from flask import Response, abort, g, has_request_context
from werkzeug.exceptions import HTTPException

from learnflow.events import ConfigurationError, Envelope, InvalidEvent, PublishError, Topic, event_from_cloudevent
from learnflow.serverless import _responses as responses
from learnflow.serverless._publisher import Publisher

log = logging.getLogger(__name__)

Process = Callable[[Envelope], Iterable[Envelope]]

_ENTERED = "learnflow_function_entered"
_REASON_LIMIT = 1024  # the framework's descriptions repeat the whole body; a reason needs the cause only
_CE_EXCEPTION = re.compile(r"Got CloudEvent exception: (.*)")


def mark_entered() -> None:
    """Record that the request reached the function: errors from here on are the function's own."""
    if has_request_context():
        setattr(g, _ENTERED, True)


def _undecodable(status: int, reason: str) -> Response:
    response = responses.poison(InvalidEvent.single("<cloudevent>", reason[:_REASON_LIMIT]))
    response.status_code = status
    return response


def answer_undecodable(error: Exception) -> Response | HTTPException:
    """Flask error handler: a request functions-framework could not parse is poison, with a reason.

    - our own aborts (a Response inside) and non-4xx HTTP errors pass through unchanged;
    - the framework's 4xx (not a CloudEvent, 415 on a body that is not JSON) keep their
      status and get the JSON reason and ``kne-reason`` header every poison answer has;
    - any other exception raised before the function was called is the framework failing
      to parse the input: 400, so it is dead-lettered at once instead of retried;
    - an exception from inside the function is re-raised: functions-framework logs it and
      answers 500 (retried), as for any bug.
    """
    if isinstance(error, HTTPException):
        if error.response is not None or error.code is None or not 400 <= error.code < 500:
            return error
        description = error.description or error.name
        found = _CE_EXCEPTION.search(description)
        cause = found.group(1) if found else description.splitlines()[0]
        return _undecodable(error.code, f"not a CloudEvent: {cause}")
    if has_request_context() and g.get(_ENTERED):
        raise error
    log.warning("undecodable request: %s: %s", type(error).__name__, error)
    return _undecodable(400, f"not a CloudEvent: {type(error).__name__}: {error}")


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
    publisher: Publisher,
) -> list[Envelope]:
    """Decode ``cloud_event`` for ``topic``, run ``process``, publish what it returns."""
    mark_entered()
    event = decode_or_abort(cloud_event, topic, producer)
    try:
        return publish_or_abort(process(event), publisher)
    except ConfigurationError as exc:
        # Settings are read at the first event. A bad one fails every event alike: answer 503
        # naming the variable, so events are retried, then dead-lettered with that reason
        # (replayable once the setting is fixed), rather than an anonymous 500 crash.
        log.error("%s: %s", producer, exc)
        abort(responses.transient("misconfigured", str(exc)))
