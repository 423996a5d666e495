"""The dispatcher's and the ingress's part of a trace, as Knative's data plane plays it.

Knative's dispatcher (eventing-kafka-broker, Vert.x tracing under PROPAGATE) extracts the
record's ``traceparent``, opens a CONSUMER span, and its HTTP client opens a CLIENT span
whose context is injected into the POST; its receiver writes the inbound request's context
into the record. Here the spans follow the messaging conventions instead of Vert.x's own
names: one ``process <topic>`` span per record (child of the record's context, with the
CloudEvent's attributes), whose context is the one injected into each POST to the sink.

No CLIENT span per attempt: at saturation a span is a sizeable part of what tracing
costs a record, and an attempt's span said little its ``process`` span does not. The
attempts are on the ``process`` span instead: the last one's ``http.response.status_code``,
``http.request.resend_count`` once retried, and one ``delivery attempt failed`` event
per failed attempt (its status or ``error.type``); a record that is dead-lettered ends
its span in error. A record with no context starts a trace here (Knative would open no
span), so that everything downstream of it is traced all the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.trace import StatusCode
from opentelemetry.util.types import AttributeValue

from learnflow.events import CloudEventMessage, KafkaRecord
from learnflow.serverless import Message, attached, carrier_of, cloudevent_attributes, consumer_span, http_context, record_context

SERVICE_NAME = "learnflow-runtime"
"""The runtime process's ``service.name``: dispatchers and ingress, as Knative's data plane."""


@contextmanager
def delivery_span(topic: str, partition: int, offset: int, group: str, record: KafkaRecord) -> Iterator[trace.Span]:
    """``process <topic>`` around one record's delivery (and dead letter), continuing its trace."""
    message = Message.of_record(topic, record, partition=partition, offset=offset, group=group)
    with consumer_span("process", message, record_context(record)) as span:
        yield span


def describe(span: trace.Span, message: CloudEventMessage) -> None:
    """Add the CloudEvent's attributes to a delivery span, once the record is read as one."""
    if span.is_recording():  # not built for a no-op span: tracing off must cost next to nothing
        span.set_attributes(cloudevent_attributes(message.attributes))


def inject_delivery(headers: dict[str, str]) -> None:
    """Write the current context (the record's ``process`` span) into a POST's ``headers``."""
    headers.update(carrier_of())


def note_attempt(retry: int, status: int | None, failure: str | None) -> None:
    """Record one POST on the current ``process`` span: ``failure`` (a timeout, a status that is not 2xx) or None."""
    span = trace.get_current_span()
    if not span.is_recording():
        return
    if status is not None:
        span.set_attribute("http.response.status_code", status)
    if retry:
        span.set_attribute("http.request.resend_count", retry)
    if failure is not None:
        event: dict[str, AttributeValue] = {"http.request.resend_count": retry, "error.type": failure}
        if status is not None:
            event["http.response.status_code"] = status
        span.add_event("delivery attempt failed", event)


def dead_lettered(span: trace.Span, reason: str) -> None:
    """Mark a delivery span whose record goes to the dead-letter sink."""
    span.set_status(StatusCode.ERROR, reason)


@contextmanager
def continued(headers: Mapping[str, str], attributes: Mapping[str, str]) -> Iterator[None]:
    """Make the inbound request's context current, so the ingress's ``send`` span continues it."""
    with attached(http_context(headers, attributes)):
        yield
