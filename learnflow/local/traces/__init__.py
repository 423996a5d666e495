"""Traces on the laptop: the embedded OTLP receiver and store, the waterfall, the runtime's own export."""

from __future__ import annotations

from learnflow.local.traces._export import SCHEDULE_DELAY_MS, export_runtime_spans, stop_runtime_spans, traces_url
from learnflow.local.traces._model import SpanRecord, TraceAnswer
from learnflow.local.traces._otlp import spans_of
from learnflow.local.traces._process import ReceiverProcess
from learnflow.local.traces._receiver import DEFAULT_ADDRESS, QUERY_PREFIX, Receiver, ReceiverServer
from learnflow.local.traces._store import SpanStore, find_trace
from learnflow.local.traces._waterfall import Row, render, total_ms, waterfall

__all__ = [
    "DEFAULT_ADDRESS",
    "QUERY_PREFIX",
    "SCHEDULE_DELAY_MS",
    "Receiver",
    "ReceiverProcess",
    "ReceiverServer",
    "Row",
    "SpanRecord",
    "SpanStore",
    "TraceAnswer",
    "export_runtime_spans",
    "find_trace",
    "render",
    "spans_of",
    "stop_runtime_spans",
    "total_ms",
    "traces_url",
    "waterfall",
]
