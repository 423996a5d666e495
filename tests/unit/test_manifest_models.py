"""The manifest models read from in-memory objects: values, Knative's defaults, and errors naming the field path."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from learnflow.events import ConfigurationError
from learnflow.local.manifests import (
    ConfigMap,
    Delivery,
    Document,
    EnvSource,
    KafkaSink,
    KafkaSource,
    KeyRef,
    KnativeService,
    read_object,
)

SOURCE_FILE = "eventing/sources/triage.yaml"
SERVICE_FILE = "knative/triage.yaml"
DLQ = KafkaSink(name="learning-events-dlq", namespace="learnflow", topic="learning-events.dlq", bootstrap_servers=("b:9092",))

SOURCE: dict[str, Any] = {
    "apiVersion": "sources.knative.dev/v1",
    "kind": "KafkaSource",
    "metadata": {"name": "triage", "namespace": "learnflow"},
    "spec": {
        "bootstrapServers": ["b:9092"],
        "topics": ["learning-events"],
        "consumerGroup": "learnflow-triage",
        "sink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "triage"}},
        "delivery": {
            "retry": 3,
            "backoffPolicy": "exponential",
            "backoffDelay": "PT0.5S",
            "timeout": "PT10S",
            "deadLetterSink": {
                "ref": {"apiVersion": "eventing.knative.dev/v1alpha1", "kind": "KafkaSink", "name": "learning-events-dlq"}
            },
        },
    },
}

SERVICE: dict[str, Any] = {
    "apiVersion": "serving.knative.dev/v1",
    "kind": "Service",
    "metadata": {"name": "triage", "namespace": "learnflow"},
    "spec": {
        "template": {
            "metadata": {"annotations": {"autoscaling.knative.dev/max-scale": "1"}},
            "spec": {
                "containerConcurrency": 3,
                "containers": [
                    {
                        "image": "learnflow-functions",
                        "env": [
                            {"name": "FUNCTION_TARGET", "value": "handle"},
                            {"name": "FUNCTION_SIGNATURE_TYPE", "value": "cloudevent"},
                            {"name": "KAFKA_BOOTSTRAP_SERVERS", "valueFrom": {"configMapKeyRef": {"name": "k", "key": "b"}}},
                        ],
                    }
                ],
            },
        }
    },
}


def _document(shown: str, body: dict[str, Any]) -> Document:
    return Document(Path(shown), body, shown)


def _source(change: Any = None, *, services: set[str] | None = None) -> KafkaSource:
    body = copy.deepcopy(SOURCE)
    if change is not None:
        change(body["spec"])
    context: dict[str, Any] = {"sinks": {DLQ.name: DLQ}, "namespace": "learnflow"}
    if services is not None:
        context["services"] = services
    return read_object(_document(SOURCE_FILE, body), KafkaSource, **context)


def _service(change: Any) -> KnativeService:
    body = copy.deepcopy(SERVICE)
    change(body["spec"]["template"])
    return read_object(_document(SERVICE_FILE, body), KnativeService)


def _delivery(**fields: Any) -> Any:
    return lambda spec: spec["delivery"].update(fields)


def test_a_source_reads_into_the_runtimes_view() -> None:
    source = _source(services={"triage"})
    assert (source.name, source.namespace, source.topics, source.consumer_group) == (
        "triage",
        "learnflow",
        ("learning-events",),
        "learnflow-triage",
    )
    assert (source.sink.service, source.sink.path) == ("triage", "/")
    assert (source.delivery.retry, source.delivery.backoff_delay, source.delivery.timeout) == (3, 0.5, 10.0)
    assert source.delivery.dead_letter_sink is DLQ


def test_absent_fields_take_knatives_defaults() -> None:
    def strip(spec: dict[str, Any]) -> None:
        for key in ("retry", "backoffPolicy", "backoffDelay", "timeout"):
            spec["delivery"].pop(key)

    source = _source(strip)
    d = source.delivery
    assert (d.retry, d.backoff_policy, d.backoff_delay, d.timeout) == (0, "exponential", 0.2, 600.0)
    assert (source.initial_offset, source.ordering, source.consumers) == ("latest", "ordered", 1)


def test_unknown_fields_are_left_to_the_schema_check() -> None:
    source = _source(lambda spec: spec["delivery"].update(backofDelay="PT9S"))
    assert source.delivery.backoff_delay == 0.5


def test_a_relative_sink_uri_is_a_path_on_the_service() -> None:
    assert _source(lambda spec: spec["sink"].update(uri="events")).sink.path == "/events"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("PT0.5S", 0.5), ("PT1S", 1.0), ("PT10S", 10.0), ("PT1M30S", 90.0), ("PT1H", 3600.0), ("P1D", 86400.0), ("PT0.001S", 0.001)],
)
def test_durations_are_iso_8601(text: str, seconds: float) -> None:
    assert _source(_delivery(backoffDelay=text)).delivery.backoff_delay == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "P", "PT", "1s", "PT-1S", "0.5", "PTS", "10:00", "1 day"])
def test_a_duration_that_is_not_iso_8601_names_its_field(text: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        _source(_delivery(backoffDelay=text))
    assert str(info.value) == (
        f"{SOURCE_FILE}: KafkaSource/triage: spec.delivery.backoffDelay: {text!r} is not an ISO-8601 duration such as PT0.5S"
    )


BROKEN: dict[str, tuple[Any, str]] = {
    "missing-delivery": (lambda spec: spec.pop("delivery"), "spec.delivery: Field required"),
    "retry-as-text": (_delivery(retry="3"), "spec.delivery.retry: Input should be a valid integer, got '3'"),
    "retry-negative": (_delivery(retry=-1), "spec.delivery.retry: Input should be greater than or equal to 0, got -1"),
    "zero-timeout": (_delivery(timeout="PT0S"), "spec.delivery.timeout: Input should be greater than 0, got 'PT0S'"),
    "policy": (
        _delivery(backoffPolicy="random"),
        "spec.delivery.backoffPolicy: Input should be 'linear' or 'exponential', got 'random'",
    ),
    "offset": (
        lambda spec: spec.update(initialOffset="oldest"),
        "spec.initialOffset: Input should be 'earliest' or 'latest', got 'oldest'",
    ),
    "topic-not-text": (lambda spec: spec["topics"].append(7), "spec.topics[1]: Input should be a valid string, got 7"),
    "no-topics": (lambda spec: spec.update(topics=[]), "spec.topics: Tuple should have at least 1 item after validation, not 0"),
    "dls-kind": (
        lambda spec: spec["delivery"]["deadLetterSink"]["ref"].update(kind="Broker"),
        "spec.delivery.deadLetterSink.ref.kind: Input should be 'KafkaSink', got 'Broker'",
    ),
    "dls-undeclared": (
        lambda spec: spec["delivery"]["deadLetterSink"]["ref"].update(name="nowhere"),
        "spec.delivery.deadLetterSink.ref.name: no KafkaSink 'nowhere' is declared",
    ),
    "dls-other-namespace": (
        lambda spec: spec["delivery"]["deadLetterSink"]["ref"].update(namespace="kafka"),
        "spec.delivery.deadLetterSink.ref.namespace: 'kafka' is not the source's namespace 'learnflow'",
    ),
    "sink-uri-only": (lambda spec: spec["sink"].pop("ref"), "spec.sink.ref: Field required"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_source_names_the_file_the_object_and_the_field_path(case: str) -> None:
    change, expected = BROKEN[case]
    with pytest.raises(ConfigurationError) as info:
        _source(change)
    assert str(info.value) == f"{SOURCE_FILE}: KafkaSource/triage: {expected}"


def test_a_sink_service_must_be_declared() -> None:
    with pytest.raises(ConfigurationError) as info:
        _source(services={"concepts"})
    assert str(info.value) == f"{SOURCE_FILE}: KafkaSource/triage: spec.sink.ref.name: no Knative Service 'triage' is declared"


def test_every_problem_of_an_object_is_named_in_one_message() -> None:
    def break_two(spec: dict[str, Any]) -> None:
        spec.pop("consumerGroup")
        spec["delivery"]["retry"] = "3"

    with pytest.raises(ConfigurationError) as info:
        _source(break_two)
    assert str(info.value) == (
        f"{SOURCE_FILE}: KafkaSource/triage: spec.consumerGroup: Field required; "
        "spec.delivery.retry: Input should be a valid integer, got '3'"
    )


def test_a_service_reads_its_containers_literal_env() -> None:
    service = _service(lambda template: None)
    assert service.env == {"FUNCTION_TARGET": "handle", "FUNCTION_SIGNATURE_TYPE": "cloudevent"}
    assert (service.target, service.signature_type, service.source) == ("handle", "cloudevent", "")
    assert (service.container_concurrency, service.timeout_seconds, service.min_scale, service.max_scale) == (3, 300, 0, 1)


def test_a_services_value_from_reads_into_its_sources() -> None:
    def secret(template: dict[str, Any]) -> None:
        ref = {"secretKeyRef": {"name": "llm", "key": "apiKey", "optional": True}}
        template["spec"]["containers"][0]["env"].append({"name": "LEARNFLOW_LLM_API_KEY", "valueFrom": ref})

    env = {var.name: var for var in _service(secret).containers[0].env}
    assert env["KAFKA_BOOTSTRAP_SERVERS"].value_from == EnvSource(config_map_key_ref=KeyRef(name="k", key="b"))
    assert env["LEARNFLOW_LLM_API_KEY"].value_from == EnvSource(secret_key_ref=KeyRef(name="llm", key="apiKey", optional=True))
    assert env["FUNCTION_TARGET"].value_from is None


def test_a_config_map_reads_its_string_data() -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "k", "namespace": "learnflow"}, "data": {"b": "x:9092"}}
    assert read_object(_document("knative/kafka-config.yaml", body), ConfigMap) == ConfigMap(
        name="k", namespace="learnflow", data={"b": "x:9092"}
    )
    with pytest.raises(ConfigurationError, match=r"data\.b: Input should be a valid string"):
        read_object(_document("knative/kafka-config.yaml", {**body, "data": {"b": 9092}}), ConfigMap)


BROKEN_SERVICES: dict[str, tuple[Any, str]] = {
    "env-name": (
        lambda t: t["spec"]["containers"][0]["env"][1].update(name=3),
        "spec.template.spec.containers[0].env[1].name: Input should be a valid string, got 3",
    ),
    "two-containers": (
        lambda t: t["spec"]["containers"].append({"image": "sidecar"}),
        "spec.template.spec.containers: Tuple should have at most 1 item after validation, not 2",
    ),
    "no-container": (
        lambda t: t["spec"].update(containers=[]),
        "spec.template.spec.containers[0]: Field required",
    ),
    "scale-not-a-number": (
        lambda t: t["metadata"]["annotations"].update({"autoscaling.knative.dev/min-scale": "one"}),
        "spec.template.metadata.annotations.autoscaling.knative.dev/min-scale: expected an integer in a string, got 'one'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_SERVICES))
def test_a_broken_service_names_the_field_path(case: str) -> None:
    change, expected = BROKEN_SERVICES[case]
    with pytest.raises(ConfigurationError) as info:
        _service(change)
    assert str(info.value) == f"{SERVICE_FILE}: Service/triage: {expected}"


def test_objects_built_in_code_are_validated_too() -> None:
    delivery = _source().delivery
    assert dataclasses.replace(delivery, backoff_delay=0.01).backoff_delay == 0.01
    with pytest.raises(ValidationError, match="retry"):
        dataclasses.replace(delivery, retry=-1)
    with pytest.raises(ValidationError, match="dead_letter_sink"):
        Delivery(dead_letter_sink={"ref": {"kind": "KafkaSink", "name": "x"}})  # type: ignore[arg-type]
