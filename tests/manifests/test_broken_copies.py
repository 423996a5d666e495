"""A deliberately broken copy of each kind of manifest fails, naming the field path."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from learnflow.local.manifest_check import check

from ._tree import edit, env, project_copy

Body = dict[str, Any]


def _drop_env(name: str) -> Callable[[Body], None]:
    return lambda b: env(b).remove(next(e for e in env(b) if e["name"] == name))


def _set_env(name: str, value: str) -> Callable[[Body], None]:
    return lambda b: next(e for e in b["run"]["envs"] if e["name"] == name).update(value=value)


def _container(b: Body) -> Body:
    c: Body = b["spec"]["template"]["spec"]["containers"][0]
    return c


def _as_root(b: Body) -> None:
    _container(b)["securityContext"].update(runAsNonRoot=False, runAsUser=0)
    b["spec"]["template"]["spec"]["securityContext"].update(runAsNonRoot=False, runAsUser=0)


_INGRESS_PEER = {"namespaceSelector": {"matchLabels": {"learnflow.dev/ingress": "true"}}}


# (file, change, what the report must say)
CASES: dict[str, tuple[str, Callable[[Body], None], str]] = {
    "topic-old-api": (
        "eventing/topics/code-submitted.yaml",
        lambda b: b.update(apiVersion="kafka.strimzi.io/v1beta2"),
        "eventing/topics/code-submitted.yaml: KafkaTopic/code-submitted: apiVersion: "
        "no schema for kafka.strimzi.io/v1beta2 KafkaTopic",
    ),
    "topic-unknown-field": (
        "eventing/topics/learning-events.yaml",
        lambda b: b["spec"].update(partitons=3),
        "KafkaTopic/learning-events: spec.partitons: unknown field",
    ),
    "topic-partitions-drift": (
        "eventing/topics/struggle-detected.yaml",
        lambda b: b["spec"].update(partitions=6),
        "KafkaTopic/struggle-detected: spec.partitions: learnflow.events._topics says 3",
    ),
    "topic-short-dlq-retention": (
        "eventing/topics/code-submitted.dlq.yaml",
        lambda b: b["spec"]["config"].update({"retention.ms": 1000}),
        "KafkaTopic/code-submitted.dlq: spec.config.retention.ms: a DLQ must outlive its topic",
    ),
    "source-format-field": (
        "eventing/sources/triage.yaml",
        lambda b: b["spec"]["delivery"].update(format="json"),
        "eventing/sources/triage.yaml: KafkaSource/triage: spec.delivery.format: unknown field",
    ),
    "source-retry-type": (
        "eventing/sources/triage.yaml",
        lambda b: b["spec"]["delivery"].update(retry="3"),
        "KafkaSource/triage: spec.delivery.retry: '3' is not of type 'integer'",
    ),
    "source-backoff-pt1s": (
        "eventing/sources/concepts.yaml",
        lambda b: b["spec"]["delivery"].update(backoffDelay="PT1S"),
        "KafkaSource/concepts: spec.delivery: the seed's policy is retry 3",
    ),
    "source-no-timeout": (
        "eventing/sources/code-execution.yaml",
        lambda b: b["spec"]["delivery"].pop("timeout"),
        "KafkaSource/code-execution: spec.delivery.timeout: set a per-attempt timeout",
    ),
    "source-dls-wrong-topic": (
        "eventing/sources/triage.yaml",
        lambda b: b["spec"]["delivery"]["deadLetterSink"]["ref"].update(name="learning-events-ingress"),
        "KafkaSource/triage: spec.delivery.deadLetterSink.ref.name: KafkaSink "
        "'learning-events-ingress' writes 'learning-events', not 'learning-events.dlq'",
    ),
    "source-dapr-group": (
        "eventing/sources/concepts.yaml",
        lambda b: b["spec"].update(consumerGroup="learnflow-group"),
        "KafkaSource/concepts: spec.consumerGroup: the Dapr Component's group",
    ),
    "source-unordered": (
        "eventing/sources/triage.yaml",
        lambda b: b["spec"].update(ordering="unordered"),
        "KafkaSource/triage: spec.ordering: learning-events needs 'ordered': triage reads one learner's attempts",
    ),
    "code-execution-ordered": (
        "eventing/sources/code-execution.yaml",
        lambda b: b["spec"].update(ordering="ordered"),
        "KafkaSource/code-execution: spec.ordering: code-submitted needs 'unordered': each run stands alone",
    ),
    "unordered-bound-above-a-pod": (
        "eventing/data-plane/config-kafka-source-data-plane.yaml",
        lambda b: b["data"].update(
            {
                "config-kafka-source-consumer.properties": b["data"]["config-kafka-source-consumer.properties"].replace(
                    "max.poll.records=8", "max.poll.records=50"
                )
            }
        ),
        "KafkaSource/code-execution: spec.sink.ref.name: Service 'code-execution' has containerConcurrency 8, "
        "but each consumer keeps max.poll.records 50 in flight",
    ),
    "unordered-bound-not-a-number": (
        "eventing/data-plane/config-kafka-source-data-plane.yaml",
        lambda b: b["data"].update({"config-kafka-source-consumer.properties": "max.poll.records=eight\n"}),
        "ConfigMap/config-kafka-source-data-plane: data.config-kafka-source-consumer.properties: "
        "max.poll.records='eight' is not a positive integer",
    ),
    "sandbox-pool-below-concurrency": (
        "knative/code-execution.yaml",
        lambda b: next(e for e in env(b) if e["name"] == "SANDBOX_POOL_SIZE").update(value="2"),
        "KafkaSource/code-execution: spec.sink.ref.name: Service 'code-execution' runs SANDBOX_POOL_SIZE 2 sandboxes "
        "for containerConcurrency 8",
    ),
    "unordered-in-flight-beyond-max-scale": (
        "knative/code-execution.yaml",
        lambda b: b["spec"]["template"]["metadata"]["annotations"].update({"autoscaling.knative.dev/max-scale": "3"}),
        "KafkaSource/code-execution: spec.consumers: 6 consumers x max.poll.records 8 = 48 in flight, "
        "but Service 'code-execution' takes 24 at max-scale",
    ),
    "sink-creates-topic": (
        "eventing/sinks/code-submitted-dlq.yaml",
        lambda b: b["spec"].update(numPartitions=1, replicationFactor=3),
        "KafkaSink/code-submitted-dlq: spec.numPartitions: Strimzi owns the topic",
    ),
    "sink-undeclared-topic": (
        "eventing/sinks/code-submitted-ingress.yaml",
        lambda b: b["spec"].update(topic="code-submited"),
        "KafkaSink/code-submitted-ingress: spec.topic: 'code-submited' is not a declared KafkaTopic",
    ),
    "sink-bad-content-mode": (
        "eventing/sinks/learning-events-dlq.yaml",
        lambda b: b["spec"].update(contentMode="json"),
        "KafkaSink/learning-events-dlq: spec.contentMode: 'json' is not one of",
    ),
    "service-no-target": (
        "knative/triage.yaml",
        _drop_env("FUNCTION_TARGET"),
        "knative/triage.yaml: Service/triage: spec.template.spec.containers[0].env.FUNCTION_TARGET: required",
    ),
    "service-unknown-field": (
        "knative/concepts.yaml",
        lambda b: _container(b).update(resourses={}),
        "Service/concepts: spec.template.spec.containers[0].resourses: unknown field",
    ),
    "service-writable-root": (
        "knative/code-execution.yaml",
        lambda b: _container(b)["securityContext"].update(readOnlyRootFilesystem=False),
        "Service/code-execution: spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem: must be true",
    ),
    "service-sandbox-level": (
        "knative/code-execution-direct.yaml",
        _drop_env("SANDBOX_MIN_LEVEL"),
        "Service/code-execution-direct: spec.template.spec.containers[0].env.SANDBOX_MIN_LEVEL",
    ),
    "service-image-hardcoded": (
        "knative/triage.yaml",
        lambda b: _container(b).update(image="docker.io/someone/triage:latest"),
        "Service/triage: spec.template.spec.containers[0].image: use 'learnflow-functions'",
    ),
    "service-timeout-shorter": (
        "knative/concepts.yaml",
        lambda b: b["spec"]["template"]["spec"].update(timeoutSeconds=5),
        "KafkaSource/concepts: spec.delivery.timeout: longer than Service 'concepts'",
    ),
    "configmap-bootstrap": (
        "knative/kafka-config.yaml",
        lambda b: b["data"].update(bootstrapServers="localhost:9092"),
        "Service/triage: spec.template.spec.containers[0].env.KAFKA_BOOTSTRAP_SERVERS",
    ),
    "namespace-bad-name": (
        "knative/namespace.yaml",
        lambda b: b["metadata"].update(name="LearnFlow"),
        "Namespace/LearnFlow: metadata.name: 'LearnFlow' does not match",
    ),
    "policy-allows-all-egress": (
        "knative/network-policies/triage.yaml",
        lambda b: b["spec"]["egress"].append({}),
        "knative/network-policies/triage.yaml: NetworkPolicy/triage: spec.egress[2]: admits every destination (no to)",
    ),
    "policy-egress-to-any-address": (
        "knative/network-policies/concepts.yaml",
        lambda b: b["spec"]["egress"].append({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 443}]}),
        "NetworkPolicy/concepts: spec.egress[2].to[0].ipBlock: select namespaces and pods, not addresses",
    ),
    "policy-egress-to-the-api-server": (
        "knative/network-policies/code-execution.yaml",
        lambda b: b["spec"]["egress"][1]["ports"].append({"protocol": "TCP", "port": 443}),
        "NetworkPolicy/code-execution: spec.egress[1]: goes to neither the cluster DNS (kube-system, port 53) nor Kafka",
    ),
    "policy-ingress-from-anywhere": (
        "knative/network-policies/triage.yaml",
        lambda b: b["spec"]["ingress"][0].pop("from"),
        "NetworkPolicy/triage: spec.ingress[0]: admits every source (no from)",
    ),
    "policy-ingress-only": (
        "knative/network-policies/concepts.yaml",
        lambda b: b["spec"].update(policyTypes=["Ingress"]),
        "NetworkPolicy/concepts: spec.policyTypes: must list Ingress and Egress",
    ),
    "policy-learner-code-from-the-ingress": (
        "knative/network-policies/code-execution-direct.yaml",
        lambda b: b["spec"]["ingress"][0]["from"].append(_INGRESS_PEER),
        "NetworkPolicy/code-execution-direct: spec.ingress[0].from[1]: runs learner code: admit only knative-serving",
    ),
    "policy-from-another-tenant": (
        "knative/network-policies/triage.yaml",
        lambda b: b["spec"]["ingress"][0]["from"].append(
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "tenant-b"}}}
        ),
        "NetworkPolicy/triage: spec.ingress[0].from[2]: admits neither Knative's data plane",
    ),
    "policy-unknown-field": (
        "knative/network-policies/triage.yaml",
        lambda b: b["spec"].update(egres=[]),
        "NetworkPolicy/triage: spec.egres: unknown field",
    ),
    "default-deny-selects-one-app": (
        "knative/network-policies/default-deny.yaml",
        lambda b: b["spec"].update(podSelector={"matchLabels": {"app": "x"}}),
        "knative: (network): no NetworkPolicy denies the namespace's traffic by default",
    ),
    "service-ingress-bypasses-activator": (
        "knative/triage.yaml",
        lambda b: b["spec"]["template"]["metadata"]["annotations"].pop("autoscaling.knative.dev/target-burst-capacity"),
        'Service/triage: spec.template.metadata.annotations.autoscaling.knative.dev/target-burst-capacity: must be "-1"',
    ),
    "exporter-as-root": (
        "monitoring/monitor-deployment.yaml",
        _as_root,
        "monitoring/monitor-deployment.yaml: Deployment/learnflow-monitor: "
        "spec.template.spec.containers[0].securityContext.runAsNonRoot: must be true",
    ),
    "exporter-token": (
        "monitoring/monitor-deployment.yaml",
        lambda b: b["spec"]["template"]["spec"].update(automountServiceAccountToken=True),
        "Deployment/learnflow-monitor: spec.template.spec.automountServiceAccountToken: must be false",
    ),
    "exporter-no-liveness": (
        "monitoring/monitor-deployment.yaml",
        lambda b: _container(b).pop("livenessProbe"),
        "Deployment/learnflow-monitor: spec.template.spec.containers[0].livenessProbe: set it",
    ),
    "exporter-unknown-field": (
        "monitoring/monitor-deployment.yaml",
        lambda b: _container(b).update(securityContex={}),
        "Deployment/learnflow-monitor: spec.template.spec.containers[0].securityContex: unknown field",
    ),
    "exporter-scraped-by-anyone": (
        "monitoring/monitor-network-policy.yaml",
        lambda b: b["spec"]["ingress"][0]["from"][0]["namespaceSelector"].update(matchLabels={"team": "x"}),
        "NetworkPolicy/learnflow-monitor: spec.ingress[0].from[0]: only Prometheus's namespace",
    ),
    "component-group": (
        "eventing/dapr/component.yaml",
        lambda b: b["spec"]["metadata"][2].update(value="learnflow-triage"),
        "Component/pubsub: spec.metadata[2].value: 'learnflow-triage', the seed has 'learnflow-group'",
    ),
    "subscription-no-dlq": (
        "eventing/dapr/subscription-code-submitted.yaml",
        lambda b: b["spec"].pop("deadLetterTopic"),
        "Subscription/code-submitted: spec.deadLetterTopic: expected declared topic",
    ),
    "subscription-v1-route": (
        "eventing/dapr/subscription-learning-events.yaml",
        lambda b: b["spec"].update(route=b["spec"].pop("routes")["default"]),
        "Subscription/learning-events: spec.route: unknown field",
    ),
    "resiliency-codes": (
        "eventing/dapr/resiliency.yaml",
        lambda b: b["spec"]["policies"]["retries"]["seed-retry"]["matching"].update(httpStatusCodes="500-599"),
        "Resiliency/pubsub-delivery: spec.policies.retries.seed-retry.matching.httpStatusCodes",
    ),
    # eventing/kafka/: the cluster itself, strictly against the Strimzi CRDs.
    "kafka-unknown-field": (
        "eventing/kafka/kafka.yaml",
        lambda b: b["spec"]["kafka"]["listeners"][0].update(protocol="PLAINTEXT"),
        "eventing/kafka/kafka.yaml: Kafka/learnflow-kafka: spec.kafka.listeners[0].protocol: unknown field",
    ),
    "pool-unknown-field": (
        "eventing/kafka/pool-brokers.yaml",
        lambda b: b["spec"].update(replica=3),
        "KafkaNodePool/brokers: spec.replica: unknown field",
    ),
    # The bootstrap address, derived from the Kafka, in the ConfigMap and the Dapr Component.
    "kafka-listener-port": (
        "eventing/kafka/kafka.yaml",
        lambda b: b["spec"]["kafka"]["listeners"][0].update(port=9094),
        "knative/kafka-config.yaml: ConfigMap/learnflow-kafka: data.bootstrapServers: "
        "'learnflow-kafka-kafka-bootstrap.kafka.svc.cluster.local:9092', but the Kafka kafka/learnflow-kafka "
        "serves learnflow-kafka-kafka-bootstrap.kafka.svc.cluster.local:9094",
    ),
    "dapr-brokers": (
        "eventing/dapr/component.yaml",
        lambda b: b["spec"]["metadata"][0].update(value="my-cluster-kafka-bootstrap.kafka.svc.cluster.local:9092"),
        "Component/pubsub: spec.metadata[0].value: 'my-cluster-kafka-bootstrap.kafka.svc.cluster.local:9092', "
        "but the Kafka kafka/learnflow-kafka serves",
    ),
    "kafka-listener-tls": (
        "eventing/kafka/kafka.yaml",
        lambda b: b["spec"]["kafka"]["listeners"][0].update(tls=True),
        "Kafka/learnflow-kafka: spec.kafka.listeners: no internal listener without TLS or authentication",
    ),
    # Every KafkaTopic belongs to the declared Kafka and fits on its brokers.
    "topic-other-cluster": (
        "eventing/topics/proactive-help.yaml",
        lambda b: b["metadata"]["labels"].update({"strimzi.io/cluster": "my-cluster"}),
        "KafkaTopic/proactive-help: metadata.labels.strimzi.io/cluster: expected 'learnflow-kafka', the declared Kafka",
    ),
    "topic-more-replicas-than-brokers": (
        "eventing/kafka/pool-brokers.yaml",
        lambda b: b["spec"].update(replicas=2),
        "KafkaTopic/code-submitted: spec.replicas: 3, but the cluster has 2 brokers",
    ),
    "topic-min-isr-above-replicas": (
        "eventing/topics/learning-events.dlq.yaml",
        lambda b: b["spec"]["config"].update({"min.insync.replicas": 4}),
        "KafkaTopic/learning-events.dlq: spec.config.min.insync.replicas: 4 of 3 replicas: every write would be refused",
    ),
    # The cluster's own replication settings, roles, storage and resources.
    "kafka-offsets-factor": (
        "eventing/kafka/kafka.yaml",
        lambda b: b["spec"]["kafka"]["config"].update({"offsets.topic.replication.factor": 5}),
        "Kafka/learnflow-kafka: spec.kafka.config.offsets.topic.replication.factor: 5, but the cluster has 3 brokers",
    ),
    "kafka-isr-above-factor": (
        "eventing/kafka/kafka.yaml",
        lambda b: b["spec"]["kafka"]["config"].update({"transaction.state.log.min.isr": 4}),
        "spec.kafka.config.transaction.state.log.min.isr: 4 is more than transaction.state.log.replication.factor 3",
    ),
    "kafka-forbidden-config": (
        "eventing/kafka/kafka.yaml",
        lambda b: b["spec"]["kafka"]["config"].update({"advertised.listeners": "PLAINTEXT://localhost:9092"}),
        "Kafka/learnflow-kafka: spec.kafka.config.advertised.listeners: Strimzi manages this option",
    ),
    "kafka-no-topic-operator": (
        "eventing/kafka/kafka.yaml",
        lambda b: b["spec"]["entityOperator"].pop("topicOperator"),
        "Kafka/learnflow-kafka: spec.entityOperator.topicOperator: required: without it no KafkaTopic",
    ),
    "pool-other-cluster": (
        "eventing/kafka/pool-controllers.yaml",
        lambda b: b["metadata"]["labels"].update({"strimzi.io/cluster": "my-cluster"}),
        "Kafka/learnflow-kafka: (node pools): 3 brokers and 0 controllers: KRaft needs both",
    ),
    "pool-ephemeral": (
        "eventing/kafka/pool-brokers.yaml",
        lambda b: b["spec"].update(storage={"type": "ephemeral"}),
        "KafkaNodePool/brokers: spec.storage: persistent-claim volumes only",
    ),
    "pool-no-memory-limit": (
        "eventing/kafka/pool-controllers.yaml",
        lambda b: b["spec"]["resources"]["limits"].pop("memory"),
        "KafkaNodePool/controllers: spec.resources.limits.memory: set it",
    ),
    # Strimzi's Kafka Exporter, which the under-replication alert reads.
    "exporter-missing": (
        "eventing/kafka/kafka.yaml",
        lambda b: b["spec"].pop("kafkaExporter"),
        "Kafka/learnflow-kafka: spec.kafkaExporter: required",
    ),
    "exporter-topic-regex": (
        "eventing/kafka/kafka.yaml",
        # The dead-letter topics forgotten: their replication would go unwatched.
        lambda b: b["spec"]["kafkaExporter"].update(topicRegex="^(learning-events|code-submitted|struggle-detected)$"),
        "spec.kafkaExporter.topicRegex: '^(learning-events|code-submitted|struggle-detected)$' leaves out "
        "proactive-help, learning-events.dlq, code-submitted.dlq, struggle-detected.dlq",
    ),
    "func-host-builder": (
        "functions/triage/func.yaml",
        lambda b: b.update(build={"builder": "host"}),
        "functions/triage/func.yaml: func.yaml/triage: build.builder: 'host' is not one of",
    ),
    "func-name": (
        "functions/concepts/func.yaml",
        lambda b: b.update(name="concept"),
        "func.yaml/concept: name: expected 'concepts'",
    ),
    "func-target-drift": (
        "functions/code_execution/func.yaml",
        _set_env("FUNCTION_TARGET", "execute"),
        "func.yaml/code-execution: run.envs.FUNCTION_TARGET: 'execute', but Service",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_copy_is_caught(case: str, tmp_path: Path) -> None:
    rel, change, expected = CASES[case]
    root = project_copy(tmp_path)
    edit(root, rel, change)
    report = check(root, render=False)
    said = [str(p) for p in report.problems]
    assert any(expected in s for s in said), "\n".join(said)


def test_malformed_yaml_names_the_file(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    (root / "eventing/sinks/learning-events-dlq.yaml").write_text("spec: [\n", encoding="utf-8")
    said = [str(p) for p in check(root, render=False).problems]
    assert any(s.startswith("eventing/sinks/learning-events-dlq.yaml: malformed YAML") for s in said)


def test_file_left_out_of_kustomization(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    kfile = root / "eventing/kustomization.yaml"
    kfile.write_text(kfile.read_text().replace("  - sources/triage.yaml\n", ""))
    said = [str(p) for p in check(root, render=False).problems]
    assert (
        "eventing/sources/triage.yaml: (file): not in any kustomization.yaml resources, so kubectl apply -k would skip it" in said
    )
    assert any("learning-events: expected exactly one KafkaSource, found none" in s for s in said)


def test_kustomization_that_does_not_render(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    kfile = root / "knative/kustomization.yaml"
    kfile.write_text(kfile.read_text() + "replicas: 3\n")
    said = [str(p) for p in check(root).problems]
    assert any(s.startswith("knative/kustomization.yaml: (render): ") for s in said), said


def _drop_patch(kustomization: Path, marker: str) -> None:
    body = yaml.safe_load(kustomization.read_text())
    body["patches"] = [p for p in body["patches"] if marker not in p["patch"]]
    kustomization.write_text(yaml.safe_dump(body, sort_keys=False))


def test_dev_overlay_that_leaves_topics_at_three_replicas(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    _drop_patch(root / "overlays/dev/eventing/kustomization.yaml", "/spec/replicas")
    said = [str(p) for p in check(root).problems]
    assert (
        "overlays/dev/eventing (rendered): KafkaTopic/code-submitted: spec.replicas: 3, but the cluster has 1 broker" in said
    ), said


def test_dev_overlay_that_keeps_the_offsets_topic_at_three(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    _drop_patch(root / "overlays/dev/kafka/kustomization.yaml", "offsets.topic.replication.factor")
    said = [str(p) for p in check(root).problems]
    assert any(
        s.startswith(
            "overlays/dev/kafka (rendered): Kafka/learnflow-kafka: spec.kafka.config.offsets.topic.replication.factor: 3"
        )
        for s in said
    ), said


def test_dev_overlay_patch_with_an_unknown_field(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    kfile = root / "overlays/dev/kafka/kustomization.yaml"
    kfile.write_text(kfile.read_text().replace("        replicas: 1\n", "        replicas: 1\n        replica: 1\n"))
    said = [str(p) for p in check(root).problems]
    assert "overlays/dev/kafka (rendered): KafkaNodePool/brokers: spec.replica: unknown field (not in the schema)" in said, said


def test_dev_overlay_that_does_not_render(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    kfile = root / "overlays/dev/eventing/kustomization.yaml"
    kfile.write_text(kfile.read_text().replace("../../../eventing", "../../../eventin"))
    said = [str(p) for p in check(root).problems]
    assert any(s.startswith("overlays/dev: (render): ") for s in said), said


def test_dockerfile_as_root(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    path = root / "Dockerfile"
    path.write_text(path.read_text().replace("USER 10001", "USER root") + "ENV FUNCTION_TARGET=handle\n")
    said = [str(p) for p in check(root, render=False).problems]
    assert any(s.startswith("Dockerfile: line ") and "non-root USER" in s for s in said), said
    assert any("FUNCTION_TARGET is chosen by each Service" in s for s in said), said


def test_functions_image_that_carries_the_local_toolkit(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    path = root / "Dockerfile"
    path.write_text(path.read_text().replace("COPY learnflow/events/ learnflow/events/", "COPY learnflow/ learnflow/"))
    said = [str(p) for p in check(root, render=False).problems]
    assert any(s.startswith("Dockerfile: line ") and "not learnflow/local" in s for s in said), said


def test_function_without_a_network_policy(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    kfile = root / "knative/network-policies/kustomization.yaml"
    kfile.write_text(kfile.read_text().replace("  - triage.yaml\n", ""))
    (root / "knative/network-policies/triage.yaml").unlink()
    said = [str(p) for p in check(root, render=False).problems]
    assert said == [
        "knative/triage.yaml: Service/triage: (network): no NetworkPolicy selects its pods (serving.knative.dev/service: triage)"
    ]


def test_every_knative_service_needs_a_policy_not_only_the_known_ones(tmp_path: Path) -> None:
    # The rule iterates over what knative/ holds, so a Service added later (the learner
    # gateway, say) is covered without naming it anywhere.
    root = project_copy(tmp_path)
    text = (root / "knative/concepts.yaml").read_text().replace("name: concepts\n", "name: newcomer\n", 1)
    (root / "knative/newcomer.yaml").write_text(text)
    kfile = root / "knative/kustomization.yaml"
    kfile.write_text(kfile.read_text().replace("  - concepts.yaml\n", "  - concepts.yaml\n  - newcomer.yaml\n"))
    said = [str(p) for p in check(root, render=False).problems]
    assert (
        "knative/newcomer.yaml: Service/newcomer: (network): no NetworkPolicy selects its pods (serving.knative.dev/service: newcomer)"
        in said
    )


def test_exporter_without_a_network_policy(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    kfile = root / "monitoring/kustomization.yaml"
    kfile.write_text(kfile.read_text().replace("  - monitor-network-policy.yaml\n", ""))
    said = [str(p) for p in check(root, render=False).problems]
    assert (
        "monitoring/monitor-deployment.yaml: Deployment/learnflow-monitor: (network): no NetworkPolicy selects its pods" in said
    )


def test_dockerfile_base_image_not_pinned(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    path = root / "Dockerfile"
    path.write_text(re.sub(r"@sha256:[0-9a-f]{64}", "", path.read_text()))
    said = [str(p) for p in check(root, render=False).problems]
    assert any(
        s.startswith("Dockerfile: line ") and "pin the base image by digest (python:3.11-slim@sha256:" in s for s in said
    ), said
