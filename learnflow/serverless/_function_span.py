"""The ``process <topic>`` span of one CloudEvent a function handles.

functions-framework reads only ``X-Cloud-Trace-Context`` (its execution_id.py), not W3C
``traceparent``, and Flask instrumentation would add a server span per request and a
dependency to the function image for no more than this: the context is taken from the
request's ``traceparent`` (what the dispatcher injected), else the event's tracing
extension, and the function's work (the sandboxed run, each publish) is the span's child.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cloudevents.http import CloudEvent
from flask import has_request_context, request

from learnflow.events import Topic
from learnflow.serverless._spans import Message, cloudevent_attributes, consumer_span, recording
from learnflow.serverless._trace_context import extension_link, http_context


@contextmanager
def event_span(cloud_event: CloudEvent, topic: Topic) -> Iterator[None]:
    """Handle ``cloud_event`` inside a CONSUMER span that continues the request's trace."""
    attributes = {name: str(value) for name, value in cloud_event.get_attributes().items() if value is not None}
    headers = dict(request.headers) if has_request_context() else {}
    parent = http_context(headers, attributes)
    link = extension_link(attributes, parent)
    key = attributes.get("partitionkey")
    message = Message(topic.name, key.encode() if key else None, attributes.get("id"))
    extra = cloudevent_attributes(attributes) if recording() else None
    with consumer_span("process", message, parent, links=[link] if link else [], extra=extra):
        yield
