"""The dispatcher's and the ingress's part of a trace, as Knative's data plane plays it.

Knative's dispatcher (eventing-kafka-broker, Vert.x tracing under PROPAGATE) extracts the
record's ``traceparent``, opens a CONSUMER span, and its HTTP client opens a CLIENT span
whose context is injected into the POST; its receiver writes the inbound request's context
into the record. Here the spans follow the messaging conventions instead of Vert.x's own
names: ``process <topic>`` per record (child of the record's context, with the CloudEvent's
attributes), and one ``POST`` CLIENT span per delivery attempt, retries counted by
``http.request.resend_count``. A record with no context starts a trace here (Knative would
open no span), so that everything downstream of it is traced all the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.util.types import AttributeValue

from learnflow.events import CloudEventMessage, KafkaRecord
from learnflow.serverless import Message, carrier_of, cloudevent_attributes, consumer_span, http_context, record_context

INSTRUMENTATION = "learnflow.local.runtime"
SERVICE_NAME = "learnflow-runtime"
"""The runtime process's ``service.name``: dispatchers and ingress, as Knative's data plane."""
_TRACER = trace.get_tracer(INSTRUMENTATION)  # a proxy until the provider is installed, then its tracer


@contextmanager
def delivery_span(topic: str, partition: int, offset: int, group: str, record: KafkaRecord) -> Iterator[trace.Span]:
    """``process <topic>`` around one record's delivery (and dead letter), continuing its trace."""
    message = Message.of_record(topic, record, partition=partition, offset=offset, group=group)
    with consumer_span("process", message, record_context(record)) as span:
        yield span


def describe(span: trace.Span, message: CloudEventMessage) -> None:
    """Add the CloudEvent's attributes to a delivery span, once the record is read as one."""
    span.set_attributes(cloudevent_attributes(message.attributes))


@contextmanager
def attempt_span(url: str, retry: int, headers: dict[str, str]) -> Iterator[trace.Span]:
    """A CLIENT span for one POST to the sink; its context goes into ``headers`` (W3C ``traceparent``)."""
    attributes: dict[str, AttributeValue] = {"http.request.method": "POST", "url.full": url}
    if retry:
        attributes["http.request.resend_count"] = retry
    with _TRACER.start_as_current_span("POST", kind=trace.SpanKind.CLIENT, attributes=attributes) as span:
        headers.update(carrier_of())
        yield span


@contextmanager
def continued(headers: Mapping[str, str], attributes: Mapping[str, str]) -> Iterator[None]:
    """Make the inbound request's context current, so the ingress's ``send`` span continues it."""
    token = otel_context.attach(http_context(headers, attributes))
    try:
        yield
    finally:
        otel_context.detach(token)
