"""The OTLP/HTTP span exporter of every traced process: the SDK's, with the cheaper encoding.

Everything but the encoding is the SDK's ``OTLPSpanExporter``: endpoint, headers,
timeout, compression and retries from the standard ``OTEL_EXPORTER_OTLP_*`` variables.
What differs is how a batch becomes bytes (``_otlp_wire``: the same message, about a
quarter of the CPU), and so two things the SDK's ``export`` does around its encoder are
left out: its opt-in self-metrics (``OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED``), and
the refusal of a request over ``max_request_size`` (a batch of 512 of our spans is
about 250 kB; the default limit is far above it).

``LEARNFLOW_OTLP_ENCODER=sdk`` goes back to the SDK's encoder: a way out should a
collector ever disagree with these bytes (and what ``bench/tracing_cost.py`` compares with).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExportResult

from learnflow.serverless._otlp_wire import encode_request

log = logging.getLogger(__name__)

ENCODER_VARIABLE = "LEARNFLOW_OTLP_ENCODER"


class WireSpanExporter(OTLPSpanExporter):
    """``OTLPSpanExporter`` whose batches are encoded by ``encode_request``."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._sdk_encoder = os.environ.get(ENCODER_VARIABLE, "").strip().lower() == "sdk"

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        # _client and _shutdown are the SDK exporter's own since 1.45 (its HTTP client with
        # the retries, the flag shutdown() sets); an older SDK exports with its own encoder.
        client = getattr(self, "_client", None)
        if client is None or self._sdk_encoder:
            return super().export(spans)
        if self._shutdown:
            log.warning("exporter already shut down; batch of %d spans dropped", len(spans))
            return SpanExportResult.FAILURE
        try:
            body = encode_request(spans)
        except Exception:  # a span we cannot encode must not stop the batch processor's thread
            log.exception("could not encode a batch of %d spans", len(spans))
            return SpanExportResult.FAILURE
        answer = client.export(body)
        return SpanExportResult.SUCCESS if answer.success else SpanExportResult.FAILURE
