"""The gateway's spans: the POST that starts a submission's trace, and the push that ends it.

A POST (``traced``) continues the browser's trace when the page sends a ``traceparent``,
else starts one; its publish (``send <topic>``, written by the publisher) is the child whose context
travels on the record. A push is one SSE write of a ``code.executed`` or
``help.explanation``, a child of the context its record carried: the trace's last span.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.propagate import extract
from starlette.requests import Request
from starlette.responses import Response

from learnflow.gateway._cursor import STREAMED
from learnflow.gateway._http import Refusal
from learnflow.gateway._records import StreamEvent
from learnflow.serverless import Message, http_context, messaging_attributes, recording, span_name

INSTRUMENTATION = "learnflow.gateway"


_TRACER = trace.get_tracer(INSTRUMENTATION)  # a proxy until the provider is installed, then its tracer


def route_of(request: Request) -> str:
    """The route template (``/learners/{user_id}/submissions``): low-cardinality, unlike the path."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else request.url.path


@contextmanager
def request_span(request: Request) -> Iterator[trace.Span]:
    """A SERVER span ``{method} {route}`` continuing the browser's ``traceparent``, current inside."""
    route = route_of(request)
    attributes = (
        {"http.request.method": request.method, "http.route": route, "url.path": request.url.path} if recording() else None
    )
    with _TRACER.start_as_current_span(
        f"{request.method} {route}",
        context=http_context(request.headers),
        kind=trace.SpanKind.SERVER,
        attributes=attributes,
    ) as span:
        yield span


Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Response]])


def traced(handler: Handler) -> Handler:
    """``handler`` (a POST that publishes) inside ``request_span``, its answer's status recorded."""

    @functools.wraps(handler)
    async def wrapper(request: Request, *args: Any) -> Response:
        with request_span(request) as span:
            try:
                response = await handler(request, *args)
            except Refusal as refusal:
                span.set_attribute("http.response.status_code", refusal.status)
                raise
            span.set_attribute("http.response.status_code", response.status_code)
            return response

    return wrapper  # type: ignore[return-value]


def event_context(event: StreamEvent) -> Context:
    return extract(dict(event.trace), context=Context())


def push_span(event: StreamEvent, *, replayed: bool = False) -> trace.Span:
    """A ``push <topic>`` span for one SSE write of ``event``; the caller ends it once written.

    ``replayed``: sent from history to a resumed stream, joining the record's (older) trace late.

    Not made current: the feed is an async generator, suspended between writes, and a
    context attached across a ``yield`` cannot be detached from the task that resumes it.
    """
    topic = STREAMED[event.topic_index][0]
    attributes = None
    if recording():  # not built for a no-op span: with tracing off a push should cost nothing more
        message = Message(topic, str(event.user_id).encode(), str(event.event_id), event.partition, event.offset)
        attributes = {**messaging_attributes("push", message), "cloudevents.event_type": event.event_type}
        attributes["learnflow.push.replayed"] = replayed
    return _TRACER.start_span(
        span_name("push", topic), context=event_context(event), kind=trace.SpanKind.CONSUMER, attributes=attributes
    )
