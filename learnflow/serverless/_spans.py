"""Spans of the OpenTelemetry messaging conventions (v1.44, Kafka), written by hand.

The contrib kafka-python and aiokafka instrumentations end the consumer span inside
``__next__``/``getone``, before the handler runs, so handlers see no parent
(opentelemetry-python-contrib #1732, #3465); their send span ends before the broker's
acknowledgement, and their attributes predate v1.27. Our hops are few and each has one
place where a record is sent or handled, so each opens its own span there:

- ``send <topic>`` (PRODUCER): one record written and acknowledged; its context is the
  one injected into the record (a single-message send is its own creation context);
- ``process <topic>`` (CONSUMER): one record handled, the handler's work its children;
- ``push <topic>`` (CONSUMER, operation type ``process``): one record written to a
  learner's stream by the gateway.

The process span takes the record's creation context as its *parent*, the conventions'
opt-in structure, not the default (child of the ambient span, linked to the creation
context): one submission must read as one trace, from the click to the help, and
Knative's dispatcher continues the trace the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.util.types import AttributeValue

from learnflow.events import KafkaRecord
from learnflow.serverless._trace_context import with_trace

INSTRUMENTATION = "learnflow"
SYSTEM = "kafka"
_OPERATION_TYPE = {"send": "send", "process": "process", "push": "process"}
_KIND = {"send": trace.SpanKind.PRODUCER, "process": trace.SpanKind.CONSUMER, "push": trace.SpanKind.CONSUMER}


@dataclass(frozen=True)
class Message:
    """What the conventions record of one Kafka message; None where unknown."""

    topic: str
    key: bytes | None = None
    message_id: str | None = None  # the CloudEvent id (``ce_id``): the eventId
    partition: int | None = None
    offset: int | None = None
    consumer_group: str | None = None

    @classmethod
    def of_record(
        cls, topic: str, record: KafkaRecord, *, partition: int | None = None, offset: int | None = None, group: str | None = None
    ) -> Message:
        """The message a binary-mode record is: its key, and its ``ce_id`` as the message id."""
        return cls(topic, record.key, record.header_text("ce_id"), partition, offset, group)


def span_name(operation: str, topic: str) -> str:
    """``{messaging.operation.name} {destination}``: the order since semconv v1.27."""
    return f"{operation} {topic}"


def messaging_attributes(operation: str, message: Message) -> dict[str, AttributeValue]:
    """The Kafka span attributes of ``operation`` (send, process, push) on ``message``."""
    attributes: dict[str, AttributeValue] = {
        "messaging.system": SYSTEM,
        "messaging.operation.name": operation,
        "messaging.operation.type": _OPERATION_TYPE[operation],
        "messaging.destination.name": message.topic,
    }
    if message.key is not None:  # never for a null key
        attributes["messaging.kafka.message.key"] = message.key.decode("utf-8", "replace")
    if message.message_id:
        attributes["messaging.message.id"] = message.message_id
    if message.partition is not None:
        attributes["messaging.destination.partition.id"] = str(message.partition)
    if message.offset is not None:
        attributes["messaging.kafka.offset"] = message.offset
    if message.consumer_group:
        attributes["messaging.consumer.group.name"] = message.consumer_group
    return attributes


def cloudevent_attributes(attributes: Mapping[str, str]) -> dict[str, AttributeValue]:
    """The CloudEvents span attributes (semconv cloudevents-spans.md) of an event's attributes."""
    names = {"id": "event_id", "source": "event_source", "type": "event_type", "specversion": "event_spec_version"}
    names["subject"] = "event_subject"
    return {f"cloudevents.{names[k]}": v for k, v in attributes.items() if k in names and v}


# A proxy until configure_tracing installs the provider, then that provider's tracer, kept:
# asking the SDK for a tracer builds a new one each time, a third of a span's cost.
_TRACER = trace.get_tracer(INSTRUMENTATION)


def tracer() -> trace.Tracer:
    return _TRACER


def recording() -> bool:
    """Whether a tracer provider is installed: without one (tracing off) every span is a no-op.

    Attributes are still given when a span starts, as the conventions ask (a sampler may
    read them), but not built for a no-op span: when off, that was most of what a span
    cost, and off should cost next to nothing.
    """
    return not isinstance(trace.get_tracer_provider(), (trace.ProxyTracerProvider, trace.NoOpTracerProvider))


@contextmanager
def send_span(topic: str, record: KafkaRecord) -> Iterator[KafkaRecord]:
    """A ``send <topic>`` span around a write; yields ``record`` carrying that span's context."""
    attributes = messaging_attributes("send", Message.of_record(topic, record)) if recording() else None
    with tracer().start_as_current_span(span_name("send", topic), kind=_KIND["send"], attributes=attributes):
        yield with_trace(record)


@contextmanager
def consumer_span(
    operation: str,
    message: Message,
    parent: Context,
    *,
    links: Sequence[trace.Link] = (),
    extra: Mapping[str, AttributeValue] | None = None,
    start_time: int | None = None,
) -> Iterator[trace.Span]:
    """A ``process``/``push`` span, child of ``parent`` (the record's context), current inside."""
    attributes = {**messaging_attributes(operation, message), **(extra or {})} if recording() else None
    with tracer().start_as_current_span(
        span_name(operation, message.topic),
        context=parent,
        kind=_KIND[operation],
        attributes=attributes,
        links=links,
        start_time=start_time,
    ) as span:
        yield span


@contextmanager
def work_span(name: str, attributes: Mapping[str, AttributeValue] | None = None) -> Iterator[trace.Span]:
    """An INTERNAL span for one step of a handler (a sandboxed run), current inside."""
    with tracer().start_as_current_span(name, kind=trace.SpanKind.INTERNAL, attributes=attributes) as span:
        yield span
