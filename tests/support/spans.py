"""Spans this test process finishes, kept in memory by the SDK's own exporter.

A process has one global tracer provider, and whichever code installs it first wins
(``configure_tracing`` in a gateway started in-process, or this): so the in-memory
exporter is added to whatever provider is installed, once per session.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from learnflow.serverless import configure_tracing

_exporter: InMemorySpanExporter | None = None


def finished_spans_exporter() -> InMemorySpanExporter:
    global _exporter
    if _exporter is None:
        configure_tracing("tests", environ={})
        provider = trace.get_tracer_provider()
        assert isinstance(provider, TracerProvider), "the SDK's provider is installed"
        _exporter = InMemorySpanExporter()
        provider.add_span_processor(SimpleSpanProcessor(_exporter))
    return _exporter


def by_name(spans: tuple[ReadableSpan, ...] | list[ReadableSpan], name: str) -> ReadableSpan:
    [span] = [s for s in spans if s.name == name]
    return span
