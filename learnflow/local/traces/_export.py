"""Where the runtime process's own spans go (the dispatchers' and the ingress's): a switch.

A process has one tracer provider for good, but a test process starts one stack after
another, each with its own receiver: so the provider gets one batch processor over this
switch, once, and each stack points the switch at its endpoint while it runs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from learnflow.serverless import configure_tracing
from learnflow.serverless._span_exporter import WireSpanExporter
from learnflow.serverless._telemetry import ENDPOINT_VARIABLES

# How often a process of the stack exports: each export is an HTTP POST costing the
# process a millisecond or two of CPU, which showed at saturation every 200 ms (what it
# was); a second still has the spans in the store before a person types `learnflow trace`.
SCHEDULE_DELAY_MS = 1000


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a base endpoint, as the SDK makes it of OTEL_EXPORTER_OTLP_ENDPOINT."""
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith("/v1/traces") else f"{endpoint}/v1/traces"


class _Switch(SpanExporter):
    def __init__(self) -> None:
        self.target: SpanExporter | None = None
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        with self._lock:
            target = self.target
        return target.export(spans) if target is not None else SpanExportResult.SUCCESS

    def point(self, target: SpanExporter | None) -> None:
        with self._lock:
            old, self.target = self.target, target
        if old is not None:
            old.shutdown()

    def shutdown(self) -> None:
        self.point(None)


_switch = _Switch()
_processor: BatchSpanProcessor | None = None
_lock = threading.Lock()


def export_runtime_spans(service_name: str, endpoint: str | None) -> None:
    """Send this process's spans to ``endpoint`` (an OTLP base URL) from now on; None: nowhere."""
    global _processor
    # The endpoint variables are the stack's business here (--otlp-endpoint reads them);
    # the provider must not add a second exporter of its own from them.
    environ = {k: v for k, v in os.environ.items() if k not in ENDPOINT_VARIABLES}
    provider = configure_tracing(service_name, environ)
    with _lock:
        if provider is not None and _processor is None:
            _processor = BatchSpanProcessor(_switch, schedule_delay_millis=SCHEDULE_DELAY_MS)
            provider.add_span_processor(_processor)
    _switch.point(WireSpanExporter(endpoint=traces_url(endpoint)) if endpoint else None)


def stop_runtime_spans() -> None:
    """Flush what this process holds to the current endpoint, then send nothing further."""
    if _processor is not None:
        _processor.force_flush(5000)
    _switch.point(None)
