"""One trace as a waterfall: spans in causal order (each under its parent, siblings by start), with durations.

A span whose parent is not in the store (the browser's, or a Knative dispatcher's that
exports nowhere) is shown at the top level rather than dropped: the trace id, not the
parent chain, is what groups a submission's spans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from learnflow.local.traces._model import SpanRecord

BAR_WIDTH = 32


@dataclass(frozen=True)
class Row:
    depth: int
    span: SpanRecord
    offset_ms: float  # from the trace's first span's start
    orphan: bool  # its parent is not among the spans


def waterfall(spans: Sequence[SpanRecord]) -> list[Row]:
    """The spans depth-first from each root, children in order of start."""
    if not spans:
        return []
    ids = {s.span_id for s in spans}
    children: dict[str, list[SpanRecord]] = defaultdict(list)
    roots: list[SpanRecord] = []
    for span in spans:
        if span.parent_span_id is not None and span.parent_span_id in ids:
            children[span.parent_span_id].append(span)
        else:
            roots.append(span)
    start = min(s.start_ns for s in spans)
    rows: list[Row] = []

    def visit(span: SpanRecord, depth: int, orphan: bool) -> None:
        rows.append(Row(depth, span, (span.start_ns - start) / 1e6, orphan))
        for child in sorted(children[span.span_id], key=lambda s: (s.start_ns, s.end_ns)):
            visit(child, depth + 1, False)

    for root in sorted(roots, key=lambda s: (s.start_ns, s.end_ns)):
        visit(root, 0, root.parent_span_id is not None)
    return rows


def total_ms(spans: Sequence[SpanRecord]) -> float:
    if not spans:
        return 0.0
    return (max(s.end_ns for s in spans) - min(s.start_ns for s in spans)) / 1e6


def detail(span: SpanRecord) -> str:
    """The few facts that tell hops apart: an HTTP status and retry, a partition and offset, a sandbox's exit."""
    a = span.attributes
    parts = []
    if "http.response.status_code" in a:
        parts.append(f"HTTP {a['http.response.status_code']}")
    if "http.request.resend_count" in a:
        parts.append(f"retry {a['http.request.resend_count']}")
    if "messaging.kafka.offset" in a:
        parts.append(f"p{a.get('messaging.destination.partition.id', '?')}@{a['messaging.kafka.offset']}")
    if "process.exit.code" in a:
        parts.append(f"exit {a['process.exit.code']}")
    if a.get("learnflow.push.replayed") is True:
        parts.append("replayed")
    return " ".join(parts)


def _bar(row: Row, total: float) -> Text:
    scale = BAR_WIDTH / total if total > 0 else 0.0
    lead = min(BAR_WIDTH - 1, int(row.offset_ms * scale))
    length = max(1, int(row.span.duration_ms * scale))
    return Text(" " * lead + "█" * min(length, BAR_WIDTH - lead), style="red" if row.span.error else "cyan")


def render(trace_id: str, spans: Sequence[SpanRecord]) -> Table:
    """The waterfall as a rich table: service, span (indented under its parent), start offset, duration, bar."""
    total = total_ms(spans)
    table = Table(title=f"trace {trace_id}: {len(spans)} spans, {total:.1f} ms", title_justify="left")
    table.add_column("service", style="bold")
    table.add_column("span")
    table.add_column("start ms", justify="right")
    table.add_column("ms", justify="right")
    table.add_column("detail")
    table.add_column("", no_wrap=True)
    for row in waterfall(spans):
        name = "  " * row.depth + row.span.name + (" (parent elsewhere)" if row.orphan else "")
        name += " !" if row.span.error else ""
        timing = (f"+{row.offset_ms:.1f}", f"{row.span.duration_ms:.1f}")
        table.add_row(row.span.service, name, *timing, detail(row.span), _bar(row, total))
    return table
