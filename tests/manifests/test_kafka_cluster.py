"""The Strimzi cluster of eventing/kafka/: what the checks derive from it, and the dev overlay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from learnflow.local.manifest_check._eventing import BOOTSTRAP
from learnflow.local.manifest_check._kafka_cluster import (
    DEV_EVENTING,
    DEV_KAFKA,
    bootstrap_addresses,
    check_topics_fit,
    kafka_setting,
    node_count,
    rendered,
)
from learnflow.local.manifest_check._kustomize import find_kubectl
from learnflow.local.manifests import Document, load_folder

from ._tree import ROOT

needs_kubectl = pytest.mark.skipif(find_kubectl() is None, reason="kubectl not installed")


def _doc(body: dict[str, Any]) -> Document:
    return Document(Path("x.yaml"), body, "x.yaml")


def _kafka(listeners: list[dict[str, Any]], config: dict[str, Any] | None = None, name: str = "lf") -> Document:
    spec = {"kafka": {"listeners": listeners, "config": config or {}}}
    return _doc({"kind": "Kafka", "metadata": {"name": name, "namespace": "ns"}, "spec": spec})


def _pool(name: str, replicas: int, roles: list[str], cluster: str = "lf", namespace: str = "ns") -> Document:
    meta = {"name": name, "namespace": namespace, "labels": {"strimzi.io/cluster": cluster}}
    return _doc({"kind": "KafkaNodePool", "metadata": meta, "spec": {"replicas": replicas, "roles": roles}})


def _topic(name: str, replicas: int | None = None, config: dict[str, Any] | None = None) -> Document:
    spec: dict[str, Any] = {"partitions": 1, "config": config or {}}
    if replicas is not None:
        spec["replicas"] = replicas
    meta = {"name": name, "namespace": "ns", "labels": {"strimzi.io/cluster": "lf"}}
    return _doc({"kind": "KafkaTopic", "metadata": meta, "spec": spec})


PLAIN = {"name": "plain", "port": 9092, "type": "internal", "tls": False}


def test_the_bootstrap_address_comes_from_name_namespace_and_plain_internal_listeners() -> None:
    listeners = [
        PLAIN,
        {"name": "tls", "port": 9093, "type": "internal", "tls": True},
        {"name": "scram", "port": 9094, "type": "internal", "tls": False, "authentication": {"type": "scram-sha-512"}},
        # cluster-ip listeners get a Service of their own, not the -kafka-bootstrap one
        {"name": "ip", "port": 9095, "type": "cluster-ip", "tls": False},
    ]
    assert bootstrap_addresses(_kafka(listeners)) == ["lf-kafka-bootstrap.ns.svc.cluster.local:9092"]
    assert bootstrap_addresses(_kafka(listeners[1:])) == []


def test_brokers_are_counted_from_this_clusters_pools_only() -> None:
    kafka = _kafka([PLAIN])
    docs = [
        kafka,
        _pool("controllers", 3, ["controller"]),
        _pool("brokers", 3, ["broker"]),
        _pool("dual", 2, ["controller", "broker"]),
        _pool("elsewhere", 5, ["broker"], cluster="other"),
        _pool("other-namespace", 7, ["broker"], namespace="default"),
    ]
    assert node_count(kafka, docs, "broker") == 5
    assert node_count(kafka, docs, "controller") == 5


def test_unset_settings_take_kafkas_defaults() -> None:
    kafka = _kafka([PLAIN], {"min.insync.replicas": 2, "default.replication.factor": "3", "transaction.state.log.min.isr": "two"})
    assert kafka_setting(kafka, "min.insync.replicas") == 2
    assert kafka_setting(kafka, "default.replication.factor") == 3  # Strimzi passes strings through
    # Kafka's own default is 3: on one broker the offsets topic (and so every group) fails.
    assert kafka_setting(kafka, "offsets.topic.replication.factor") == 3
    assert kafka_setting(kafka, "transaction.state.log.min.isr") is None


def test_a_topic_without_replicas_or_min_isr_takes_the_clusters_defaults() -> None:
    kafka = _kafka([PLAIN], {"default.replication.factor": 3, "min.insync.replicas": 2})
    one_broker = [kafka, _pool("dual", 1, ["controller", "broker"])]
    said = [str(p) for p in check_topics_fit(kafka, one_broker, [_topic("t"), _topic("u", 1)])]
    assert said == [
        "x.yaml: KafkaTopic/t: spec.replicas: 3, but the cluster has 1 broker",
        "x.yaml: KafkaTopic/u: spec.config.min.insync.replicas: 2 of 1 replicas: every write would be refused",
    ]
    assert check_topics_fit(kafka, one_broker, [_topic("v", 1, {"min.insync.replicas": 1})]) == []


def test_the_clusters_address_is_the_one_every_manifest_uses() -> None:
    (kafka,) = [d for d in load_folder(ROOT, "eventing/kafka") if d.kind == "Kafka"]
    assert bootstrap_addresses(kafka) == [BOOTSTRAP]


def test_production_has_three_brokers_and_three_dedicated_controllers() -> None:
    docs = load_folder(ROOT, "eventing/kafka")
    (kafka,) = [d for d in docs if d.kind == "Kafka"]
    roles = {d.name: d.body["spec"]["roles"] for d in docs if d.kind == "KafkaNodePool"}
    assert roles == {"controllers": ["controller"], "brokers": ["broker"]}
    assert (node_count(kafka, docs, "broker"), node_count(kafka, docs, "controller")) == (3, 3)


@needs_kubectl
def test_the_dev_cluster_is_one_dual_role_node_with_every_factor_at_one() -> None:
    docs = rendered(ROOT, DEV_KAFKA)
    (kafka,) = [d for d in docs if d.kind == "Kafka"]
    assert [(d.name, d.body["spec"]["roles"]) for d in docs if d.kind == "KafkaNodePool"] == [
        ("brokers", ["controller", "broker"])
    ]
    assert (node_count(kafka, docs, "broker"), node_count(kafka, docs, "controller")) == (1, 1)
    factors = {k: v for k, v in kafka.body["spec"]["kafka"]["config"].items() if "replication" in k or "isr" in k}
    assert set(factors.values()) == {1}, factors
    assert bootstrap_addresses(kafka) == [BOOTSTRAP]


@needs_kubectl
def test_the_dev_overlay_rewrites_every_topic_and_nothing_else() -> None:
    base = {d.label: d.body for d in load_folder(ROOT, "eventing")}
    dev = {d.label: d.body for d in rendered(ROOT, DEV_EVENTING)}
    assert set(dev) == set(base)
    for label, body in dev.items():
        if body["kind"] != "KafkaTopic":
            assert body == base[label], label
            continue
        assert (body["spec"]["replicas"], body["spec"]["config"]["min.insync.replicas"]) == (1, 1), label
        rest = {k: v for k, v in body["spec"]["config"].items() if k != "min.insync.replicas"}
        assert rest == {k: v for k, v in base[label]["spec"]["config"].items() if k != "min.insync.replicas"}
        assert body["spec"]["partitions"] == base[label]["spec"]["partitions"]
