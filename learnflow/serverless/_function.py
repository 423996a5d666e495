"""The one factory of a CloudEvent function: ``handle = cloud_event_function(topic, process, producer=...)``.

A function's ``main.py`` binds its result to ``handle``, the target functions-framework
is started with (``--target handle``). The factory does what each ``main.py`` once did
by hand: it registers the target as a CloudEvent function and wires the app being
built (error handler, health probes), and it takes the publisher as a dependency.
"""

from __future__ import annotations

from collections.abc import Callable

import functions_framework
from cloudevents.http import CloudEvent
from flask import current_app, has_app_context

from learnflow.events import Topic
from learnflow.serverless._app import app_publisher, wire_app
from learnflow.serverless._function_span import event_span
from learnflow.serverless._handler import Process, handle_cloudevent
from learnflow.serverless._publisher import Publisher
from learnflow.serverless._telemetry import configure_tracing

CloudEventFunction = Callable[[CloudEvent], None]


def cloud_event_function(
    topic: Topic, process: Process, *, producer: str, publisher: Publisher | None = None
) -> CloudEventFunction:
    """A functions-framework CloudEvent target: decode for ``topic``, run ``process``, publish.

    ``process`` takes a validated event and returns the follow-up events (no I/O).
    Invalid input is answered 400 (dead-lettered), a failed publish or a bad setting 503
    (retried). Events are published with ``publisher``; without one, with the publisher
    the serving app holds for ``producer`` (see ``use_publisher``), made at the first event.

    Called while functions-framework loads the module (inside the app context of the
    app it is building), it also wires that app, once: input the framework cannot parse
    becomes poison with a reason, and GET /health/liveness and /health/readiness answer
    200. That covers every target of the module, an HTTP one included. A plain import
    (no app being built) wires nothing, like ``functions_framework.errorhandler``.
    Each event is handled in a ``process <topic>`` span that continues the request's trace.
    """
    if has_app_context():
        wire_app(current_app)
        configure_tracing(producer)  # a serving process: its spans go where OTEL_* says

    def handle(cloud_event: CloudEvent) -> None:
        with event_span(cloud_event, topic):
            handle_cloudevent(cloud_event, topic, process, producer=producer, publisher=publisher or app_publisher(producer))

    # functions-framework finds a target's signature type by the function's __name__ (its
    # REGISTRY_MAP), so main.py must bind the result to that same name: ``handle``.
    return functions_framework.cloud_event(handle)
