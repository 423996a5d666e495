from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ...support.spans import finished_spans_exporter


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = finished_spans_exporter()
    exporter.clear()
    yield exporter
    exporter.clear()
