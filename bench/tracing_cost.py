"""Benchmark: the CPU tracing adds per record, by part, in one process (no pipeline, no load noise to speak of).

    .venv/bin/python bench/tracing_cost.py [--records 3000]

bench/tracing.py measures what issue 27 asks (the pipeline's throughput), but on 2
shared cores its rates move by a third between modes of one run. This one times, with
``time.process_time`` over many records, what one record costs each process: the
dispatcher's ``process`` span (the context read from the record and written into the
POST's headers, the attempt noted on it), a function's ``process`` and ``send`` spans
(first with no tracer provider: "off"), then encoding those three spans for export (the
SDK's encoder, then learnflow/serverless/_otlp_wire.py), and decoding them in the
receiver. Best of 5. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from learnflow.events import KafkaRecord
from learnflow.local.runtime.tracing import delivery_span, inject_delivery, note_attempt
from learnflow.local.traces import spans_of
from learnflow.serverless import Message, configure_tracing, consumer_span, http_context
from learnflow.serverless._otlp_wire import encode_request
from learnflow.serverless._spans import send_span

TRACEPARENT = b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def record(i: int) -> KafkaRecord:
    headers = [("ce_id", str(i).encode()), ("ce_type", b"learnflow.learning.event"), ("traceparent", TRACEPARENT)]
    return KafkaRecord(f"user-{i % 50}".encode(), b"{}", headers)


def dispatcher_side(i: int) -> None:
    with delivery_span("learning-events", i % 3, i, "learnflow-triage", record(i)):
        headers: dict[str, str] = {}
        inject_delivery(headers)
        note_attempt(0, 200, None)


def function_side(i: int) -> None:
    parent = http_context({"traceparent": TRACEPARENT.decode()})
    with consumer_span("process", Message("learning-events", b"user", str(i)), parent):
        with send_span("struggle-detected", record(i)):
            pass


def best_us(work: Callable[[], None], per: int) -> float:
    """The least CPU microseconds per unit over 5 rounds."""
    times = []
    for _ in range(5):
        started = time.process_time()
        work()
        times.append((time.process_time() - started) / per * 1e6)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    n = parser.parse_args().records
    print(f"CPU microseconds per record ({n} records, best of 5):")
    # First with no provider installed: what tracing "off" costs (the API's no-op spans).
    print(f"  off, dispatcher: process              {best_us(lambda: [dispatcher_side(i) for i in range(n)], n):7.1f}")
    print(f"  off, function:   process + send       {best_us(lambda: [function_side(i) for i in range(n)], n):7.1f}")
    provider = configure_tracing("bench", environ={})
    assert provider is not None
    kept = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(kept))  # what a batch processor hands its exporter
    print(f"  dispatcher: process span             {best_us(lambda: [dispatcher_side(i) for i in range(n)], n):7.1f}")
    kept.clear()
    print(f"  function:   process + send spans      {best_us(lambda: [function_side(i) for i in range(n)], n):7.1f}")
    function_spans: tuple[ReadableSpan, ...] = kept.get_finished_spans()[: 2 * n]
    kept.clear()
    [dispatcher_side(i) for i in range(n)]
    spans = list(kept.get_finished_spans()[:n]) + list(function_spans)
    batches = [spans[k : k + 512] for k in range(0, len(spans), 512)]
    sdk = best_us(lambda: [encode_spans(b).SerializePartialToString() for b in batches], n)
    wire = best_us(lambda: [encode_request(b) for b in batches], n)
    bodies = [encode_request(b) for b in batches]
    print(f"  export, the 3 spans: SDK encoder      {sdk:7.1f}")
    print(f"  export, the 3 spans: _otlp_wire       {wire:7.1f}")
    print(f"  receiver: decoding the 3 spans        {best_us(lambda: [spans_of(b) for b in bodies], n):7.1f}")


if __name__ == "__main__":
    main()
