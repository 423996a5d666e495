"""Which metric names a PromQL expression reads, and which names the backbone exposes.

A small scanner, not a parser: it drops strings, label matchers, ranges and grouping
clauses, then keeps the identifiers that are not functions or keywords. Enough for the
expressions in our dashboard and rules (promtool checks their syntax separately).
"""

from __future__ import annotations

import re

from prometheus_client.metrics import MetricWrapperBase

from functions.code_execution import metrics as code_execution_metrics
from functions.concepts import metrics as concepts_metrics
from functions.triage import metrics as triage_metrics
from learnflow.gateway import _metrics as gateway_metrics
from learnflow.local import _metrics as delivery_metrics

# Each function's own metrics live beside it; triage records none of its own.
FUNCTION_METRICS = (code_execution_metrics, concepts_metrics, triage_metrics)

_KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "offset",
    "bool",
    "and",
    "or",
    "unless",
    "inf",
    "nan",
}
_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def metric_names(expr: str) -> set[str]:
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # strings ("$topic", "le")
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # ranges and subqueries
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        name = match.group()
        if name.lower() in _KEYWORDS or text[match.end() :].lstrip().startswith("("):
            continue  # a keyword, or a function / aggregation call
        names.add(name)
    return names


def exposed_names() -> set[str]:
    """Every sample name a scrape of the backbone's metrics can hold (with client suffixes)."""
    names = set()
    for obj in [
        *vars(delivery_metrics).values(),
        *vars(gateway_metrics).values(),
        *(v for m in FUNCTION_METRICS for v in vars(m).values()),
    ]:
        if isinstance(obj, MetricWrapperBase):
            for family in obj.describe():
                names |= {family.name + s for s in _SUFFIXES[family.type]}
    return names
