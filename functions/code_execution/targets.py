"""The two HTTP faces of the function, between functions-framework and the domain.

- ``handle`` (CloudEvent, from KafkaSource or Dapr; ``cloud_event_function`` around
  ``guarded``): the result is published to ``learning-events``; poison -> 400 with
  ``kne-reason``; a failed publish or a refusing sandbox -> 503, so the delivery layer
  retries.
- ``execute`` (plain HTTP, the seed's "direct response"): the result comes back in the
  answer as a binary-mode ``code.executed`` CloudEvent and is also published. A
  learner still gets it when Kafka is down: the answer then says
  ``learnflow-published: false`` and ``learnflow_code_execution_unpublished_results`` counts it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Request, Response, abort

from learnflow.events import (
    CODE_SUBMITTED,
    CodeExecuted,
    Envelope,
    ExerciseCompleted,
    InvalidEvent,
    PublishError,
    ce_source,
    event_from_request,
    header_safe,
    to_binary_http,
    to_cloudevent,
)
from learnflow.serverless import (
    HistoryUnavailable,
    Publisher,
    app_publisher,
    mark_entered,
    poison,
    transient,
)

from .metrics import SANDBOX_REFUSALS, UNPUBLISHED_RESULTS
from .sandbox import SandboxFailure, SandboxUnavailable
from .service import PRODUCER, CodeExecution

log = logging.getLogger(__name__)

PUBLISHED_HEADER = "learnflow-published"
PUBLISH_ERROR_HEADER = "learnflow-publish-error"


def guarded(service: CodeExecution) -> Callable[[Envelope], list[CodeExecuted | ExerciseCompleted]]:
    """``service.run_submission``, with sandbox failures and an unreadable history turned into a 503 answer."""

    def process(event: Envelope) -> list[CodeExecuted | ExerciseCompleted]:
        try:
            return service.run_submission(event)
        except HistoryUnavailable as exc:
            # A pass whose completion cannot be counted now: retried whole, as a failed publish is.
            log.error("could not read the learner's events for code.submitted %s: %s", event.event_id, exc)
            abort(transient("history_unavailable", str(exc)))
        except SandboxUnavailable as exc:
            SANDBOX_REFUSALS.labels("below_min_level").inc()
            log.critical("REFUSING code.submitted %s: %s", event.event_id, exc)
            abort(transient("sandbox_unavailable", str(exc)))
        except SandboxFailure as exc:
            SANDBOX_REFUSALS.labels("failure").inc()
            log.error("sandbox failed on code.submitted %s: %s", event.event_id, exc)
            abort(transient("sandbox_failure", str(exc)))

    return process


def execute_request(request: Request, service: CodeExecution, publisher: Publisher | None = None) -> Response:
    """Run the submission in ``request`` and answer with its result as a CloudEvent."""
    mark_entered()  # nothing parses a plain HTTP request before us: any exception is ours (500)
    try:
        submission = event_from_request(dict(request.headers), request.get_data(), CODE_SUBMITTED)
    except InvalidEvent as exc:
        log.warning("%s: poison direct request: %s", PRODUCER, exc.reason)
        return poison(exc)
    result, *earned = guarded(service)(submission)
    headers, body = to_binary_http(to_cloudevent(result, ce_source(PRODUCER)))
    try:
        for event in (result, *earned):
            (publisher or app_publisher(PRODUCER)).publish(event)
        headers[PUBLISHED_HEADER] = "true"
    except PublishError as exc:
        # The learner is waiting for this answer; Kafka's outage must not cost it.
        UNPUBLISHED_RESULTS.labels("publish_failed").inc()
        log.error("answered %s without publishing it: %s", result.event_id, exc)
        headers[PUBLISHED_HEADER] = "false"
        headers[PUBLISH_ERROR_HEADER] = header_safe(str(exc))
    return Response(body, status=200, headers=headers)
