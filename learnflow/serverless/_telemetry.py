"""The OpenTelemetry SDK of one process, configured by the standard ``OTEL_*`` variables.

``configure_tracing`` installs the SDK's tracer provider once per process. It always
installs one (unless ``OTEL_SDK_DISABLED=true``): without it, a process that starts a
trace (the gateway, a producer with no incoming context) would write no ``traceparent``,
and every record the stack writes must carry one. Spans leave the process only when an
endpoint is set (``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``):
then an OTLP/HTTP exporter (the SDK's, encoding with ``_otlp_wire``) behind a batch processor, whose own variables
(``OTEL_BSP_*``, ``OTEL_EXPORTER_OTLP_*``) it reads itself. Without an endpoint no
processor is added, so a span costs the ids and nothing is kept. The sampler is the
SDK's (``OTEL_TRACES_SAMPLER``, default ``parentbased_always_on``); the service name is
``OTEL_SERVICE_NAME`` (or ``service.name`` in ``OTEL_RESOURCE_ATTRIBUTES``), else the
producer's name.

Only OTLP over HTTP/protobuf is built in: a gRPC exporter would add grpcio (~19 MB) to
the function image, and every collector, Knative's data plane included, takes HTTP.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping

from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

log = logging.getLogger(__name__)

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
_HTTP_PROTOCOLS = ("", "http/protobuf")
_lock = threading.Lock()
_installed: TracerProvider | None = None


def tracing_disabled(environ: Mapping[str, str]) -> bool:
    return environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"


def exports(environ: Mapping[str, str]) -> bool:
    """Whether spans are sent anywhere: an OTLP endpoint is set."""
    return any(environ.get(name, "").strip() for name in ENDPOINT_VARIABLES)


def service_resource(default_name: str) -> Resource:
    """The resource from ``OTEL_RESOURCE_ATTRIBUTES``/``OTEL_SERVICE_NAME``, named ``default_name`` if they name nothing."""
    resource = Resource.create()
    name = str(resource.attributes.get(SERVICE_NAME, ""))
    if not name or name.startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: default_name}))
    return resource


def configure_tracing(default_name: str, environ: Mapping[str, str] | None = None) -> TracerProvider | None:
    """Install this process's tracer provider (once); None when ``OTEL_SDK_DISABLED=true``."""
    global _installed
    env = os.environ if environ is None else environ
    if tracing_disabled(env):
        return None
    with _lock:
        if _installed is not None:
            return _installed
        provider = TracerProvider(resource=service_resource(default_name))
        if exports(env):
            protocol = env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", env.get("OTEL_EXPORTER_OTLP_PROTOCOL", "")).strip()
            if protocol not in _HTTP_PROTOCOLS:
                log.warning("OTEL_EXPORTER_OTLP_PROTOCOL=%s: only http/protobuf is built in; exporting with it", protocol)
            # Imported here: a process that exports nothing never loads the exporter.
            from learnflow.serverless._span_exporter import WireSpanExporter

            provider.add_span_processor(BatchSpanProcessor(WireSpanExporter()))
        trace.set_tracer_provider(provider)
        _installed = provider
        return provider


def flush_spans(timeout_ms: int = 5000) -> bool:
    """Export what this process holds now (before it stops, or for a test); True if nothing is left."""
    return _installed.force_flush(timeout_ms) if _installed is not None else True
