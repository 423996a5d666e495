"""The Grafana dashboard reads only metrics we export, with valid PromQL, and shows
what the issue asks for: lag, throughput, errors by reason, DLQ depth, latency percentiles."""

from __future__ import annotations

import json

import pytest
import yaml

from ..support.tools import ROOT
from .promql import exposed_names, metric_names
from .promtool import promtool

DASHBOARD = ROOT / "monitoring" / "grafana" / "learnflow-eventing.json"
# What Grafana substitutes before a query reaches Prometheus.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "${datasource}": "", "$topic": ".*"}


def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def targets() -> list[tuple[str, str]]:
    return [(p["title"], t["expr"]) for p in dashboard()["panels"] for t in p["targets"]]


def as_prometheus(expr: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return expr


def test_every_panel_queries_prometheus():
    d = dashboard()
    assert d["uid"] and d["title"]
    ids = [p["id"] for p in d["panels"]]
    assert len(ids) == len(set(ids))
    for panel in d["panels"]:
        assert panel["targets"], panel["title"]
        assert panel["datasource"]["type"] == "prometheus"


@pytest.mark.parametrize(("title", "expr"), targets())
def test_queries_read_only_metrics_defined_in_learnflow_metrics(title, expr):
    names = metric_names(expr)
    assert names, f"{title}: no metric in {expr!r}"
    assert names <= exposed_names(), f"{title}: {names - exposed_names()} not among the metrics learnflow defines"


def test_the_issue_panels_are_there():
    used = {name for _, expr in targets() for name in metric_names(expr)}
    assert {
        "kafka_consumer_lag",
        "kafka_messages_total",
        "kafka_messages_per_second",
        "kafka_consumer_errors_total",
        "learnflow_dlq_depth",
        "learnflow_delivery_latency_seconds_bucket",
        "learnflow_function_request_duration_seconds_bucket",
    } <= used
    quantiles = [expr for _, expr in targets() if expr.startswith("histogram_quantile(")]
    assert {q.split(",")[0] for q in quantiles} >= {
        "histogram_quantile(0.5",
        "histogram_quantile(0.95",
        "histogram_quantile(0.99",
    }
    assert any("reason" in expr and "kafka_consumer_errors_total" in expr for _, expr in targets())


def test_the_template_variables_query_real_metrics():
    for variable in dashboard()["templating"]["list"]:
        if variable["type"] == "query":
            names = metric_names(variable["definition"].removeprefix("label_values(").split(",")[0])
            assert names <= exposed_names()


def test_promql_syntax_via_promtool(tmp_path):
    # promtool has no query linter; a recording rule per query makes check rules parse them all.
    rules = [{"record": f"dashboard:query:{i}", "expr": as_prometheus(expr)} for i, (_, expr) in enumerate(targets())]
    path = tmp_path / "dashboard.rules.yaml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = promtool("check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_what_triage_could_not_diagnose_has_a_panel_by_exception_type():
    # Issue 30: operators see which errors the diagnosis table misses.
    exprs = [expr for _, expr in targets() if "learnflow_triage_unrecognised_total" in expr]
    assert exprs and all("exception_type" in expr for expr in exprs)
