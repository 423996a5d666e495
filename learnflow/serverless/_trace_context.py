"""W3C trace context on the wire (DESIGN §2, §6): Kafka headers, HTTP headers, the CloudEvents extension.

Knative's KafkaSink and dispatcher carry the context as unprefixed ``traceparent`` and
``tracestate`` headers, on Kafka and on HTTP alike; so does everything here, through the
propagators OpenTelemetry is configured with (``OTEL_PROPAGATORS``, W3C trace context and
baggage by default). The CloudEvents distributed-tracing extension (``ce_traceparent`` on
Kafka, ``ce-traceparent`` on HTTP, a ``traceparent`` attribute in structured mode) is
honoured on read where no W3C header is present: a producer that only knows CloudEvents
still joins the trace. Pure functions over neutral values; no span is started here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from learnflow.events import KafkaRecord

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
_W3C = TraceContextTextMapPropagator()


@contextmanager
def attached(context: Context) -> Iterator[None]:
    """Make ``context`` current inside the block (a span started there continues it)."""
    token = otel_context.attach(context)
    try:
        yield
    finally:
        otel_context.detach(token)


def has_parent(context: Context) -> bool:
    """Whether ``context`` holds a valid span context to continue."""
    return trace.get_current_span(context).get_span_context().is_valid


def carrier_of(context: Context | None = None) -> dict[str, str]:
    """The headers that carry ``context`` (the current one by default): ``traceparent``, ``tracestate``..."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier, context=context)
    return carrier


def with_trace(record: KafkaRecord, context: Context | None = None) -> KafkaRecord:
    """``record`` with its propagation headers replaced by those of ``context``.

    Replaced, not appended: a pass-through (the ingress, a dead letter) must not carry the
    previous hop's ``traceparent`` beside its own, and readers disagree on which one wins.
    With no context to write (a tool without a tracer provider), the record keeps its own:
    a replayed dead letter still names the trace it came from.
    """
    injected = carrier_of(context)
    if TRACEPARENT not in injected:
        return record
    names = {name.lower() for name in injected} | {TRACEPARENT, TRACESTATE}
    kept = [(k, v) for k, v in record.headers if k.lower() not in names]
    return record._replace(headers=kept + [(k, v.encode()) for k, v in injected.items()])


def _extension_context(traceparent: str | None, tracestate: str | None) -> Context:
    carrier = {TRACEPARENT: traceparent} if traceparent else {}
    if traceparent and tracestate:
        carrier[TRACESTATE] = tracestate
    return _W3C.extract(carrier, context=Context())


def record_context(record: KafkaRecord) -> Context:
    """The context a Kafka record carries: its W3C headers, else the CloudEvents extension headers."""
    carrier = {k.lower(): v.decode("latin-1") for k, v in record.headers}  # the last of a name wins, as in KafkaRecord
    context = propagate.extract(carrier, context=Context())
    if has_parent(context):
        return context
    return _extension_context(carrier.get("ce_traceparent"), carrier.get("ce_tracestate"))


def http_context(headers: Mapping[str, str], attributes: Mapping[str, str] | None = None) -> Context:
    """The context an HTTP request carries: W3C headers, else the CloudEvent's tracing extension.

    ``attributes`` are the CloudEvent's as a reader decoded them (binary ``ce-traceparent``
    and structured ``"traceparent"`` alike); without them the ``ce-*`` headers are read.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    context = propagate.extract(lowered, context=Context())
    if has_parent(context):
        return context
    if attributes is not None:
        return _extension_context(attributes.get(TRACEPARENT), attributes.get(TRACESTATE))
    return _extension_context(lowered.get("ce-traceparent"), lowered.get("ce-tracestate"))


def extension_link(attributes: Mapping[str, str], parent: Context) -> trace.Link | None:
    """A link to the trace a CloudEvent's tracing extension names, when it is not the parent's.

    The extension carries the *starting* trace across hops, never per-hop context
    (CloudEvents distributed-tracing.md), so when a W3C parent exists too, the extension
    is kept as a link rather than lost.
    """
    traceparent = attributes.get(TRACEPARENT)
    if not traceparent:  # the usual case: the event carries no extension, nothing to parse
        return None
    start = trace.get_current_span(_extension_context(traceparent, attributes.get(TRACESTATE)))
    started = start.get_span_context()
    if not started.is_valid or started == trace.get_current_span(parent).get_span_context():
        return None
    return trace.Link(started, {"cloudevents.distributed_tracing": True})
