"""The PrometheusRule is the one source of the alerts: its spec is the promtool rule file.

promtool checks the rules and runs the unit tests in monitoring/alerts/tests/, which
name the derived file ``learnflow.rules.yaml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ..support.tools import ROOT
from .promql import exposed_names, metric_names
from .promtool import promtool

ALERTS = ROOT / "monitoring" / "alerts"
RULES = ALERTS / "learnflow-rules.yaml"
UNIT_TESTS = sorted((ALERTS / "tests").glob("*.yaml"))
DERIVED = "learnflow.rules.yaml"
# The one group that reads Strimzi's Kafka Exporter (danielqsj/kafka_exporter, deployed by
# spec.kafkaExporter of eventing/kafka/kafka.yaml), and the exporter's names it may use.
CLUSTER_GROUP = "learnflow-kafka-cluster"
KAFKA_EXPORTER = {
    "kafka_brokers",
    "kafka_topic_partition_in_sync_replica",
    "kafka_topic_partition_replicas",
    "kafka_topic_partition_under_replicated_partition",
}
SEED_NAMES = {"kafka_consumer_lag", "kafka_messages_per_second", "kafka_consumer_errors_total"}


def rule_object() -> dict:
    return yaml.safe_load(RULES.read_text())


def alert_rules() -> list[dict]:
    return [r for g in rule_object()["spec"]["groups"] for r in g["rules"] if "alert" in r]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """The derived rule file beside copies of the unit tests, as they expect."""
    (tmp_path / DERIVED).write_text(yaml.safe_dump(rule_object()["spec"], sort_keys=False))
    for test in UNIT_TESTS:
        shutil.copy(test, tmp_path / test.name)
    return tmp_path


def test_prometheus_rule_shape():
    obj = rule_object()
    assert set(obj) == {"apiVersion", "kind", "metadata", "spec"}
    assert (obj["apiVersion"], obj["kind"]) == ("monitoring.coreos.com/v1", "PrometheusRule")
    assert obj["metadata"]["namespace"] == "learnflow" and obj["metadata"]["name"]
    assert set(obj["spec"]) == {"groups"}
    for group in obj["spec"]["groups"]:
        assert set(group) <= {"name", "interval", "rules"}
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "record", "expr", "for", "labels", "annotations"}, rule
            assert rule["labels"]["severity"] in {"info", "warning", "critical"}


def test_the_issue_asks_for_these_alerts():
    assert {r["alert"] for r in alert_rules()} >= {
        "LearnflowConsumerLagGrowing",
        "LearnflowDeadLettersGrowing",
        "LearnflowDeliveryErrorRatioHigh",
    }


def test_rules_read_only_metrics_we_export():
    exported = exposed_names()
    for group in rule_object()["spec"]["groups"]:
        allowed = KAFKA_EXPORTER if group["name"] == CLUSTER_GROUP else exported
        for rule in group["rules"]:
            names = metric_names(rule["expr"])
            assert names and names <= allowed, (rule.get("alert"), names - allowed)


def test_the_seed_names_have_one_source():
    # Recording a seed name from Strimzi's exporter as well would give every series a twin
    # from another job, and each sum() on the dashboard would double (docs/observability.md).
    rules = [r for g in rule_object()["spec"]["groups"] for r in g["rules"]]
    assert not {r["record"] for r in rules if "record" in r} & SEED_NAMES
    cluster_rules = [r for g in rule_object()["spec"]["groups"] if g["name"] == CLUSTER_GROUP for r in g["rules"]]
    assert cluster_rules and not any(metric_names(r["expr"]) & exposed_names() for r in cluster_rules)


def test_promtool_check_rules(workdir):
    result = promtool("check", "rules", DERIVED, cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_every_alert_has_a_unit_test_that_fires_it_and_one_that_does_not():
    fired, quiet = set(), set()
    for path in UNIT_TESTS:
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                (fired if case.get("exp_alerts") else quiet).add(case["alertname"])
    names = {r["alert"] for r in alert_rules()}
    assert names <= fired, names - fired
    assert names <= quiet, names - quiet


@pytest.mark.parametrize("path", UNIT_TESTS, ids=lambda p: p.stem)
def test_promtool_test_rules(workdir, path):
    result = promtool("test", "rules", path.name, cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr
