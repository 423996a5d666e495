"""learnflow.local.manifests: the typed view the local runtime reads, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from learnflow.events import ConfigurationError
from learnflow.local.manifests import load_eventing, load_knative

from ._tree import ROOT, edit, project_copy


def test_loads_the_project() -> None:
    eventing = load_eventing(ROOT)
    triage = eventing.sources["triage"]
    assert triage.topics == ("learning-events",)
    assert triage.consumer_group == "learnflow-triage"
    assert (triage.initial_offset, triage.ordering, triage.consumers) == ("earliest", "ordered", 3)
    assert (triage.sink.service, triage.sink.path) == ("triage", "/")
    assert (triage.delivery.retry, triage.delivery.backoff_policy) == (3, "exponential")
    assert (triage.delivery.backoff_delay, triage.delivery.timeout) == (0.5, 10.0)
    assert triage.delivery.dead_letter_sink is eventing.sinks["learning-events-dlq"]
    assert eventing.sinks["code-submitted-ingress"].content_mode == "binary"
    assert eventing.topics["learning-events.dlq"].config["retention.ms"] > 0
    assert eventing.source_consuming("code-submitted").name == "code-execution"


def test_accepts_the_folder_itself() -> None:
    assert load_eventing(ROOT / "eventing").sources.keys() == load_eventing(ROOT).sources.keys()
    assert "triage" in load_knative(ROOT / "knative").services


def test_knative_defaults_for_absent_delivery_fields(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    edit(
        root,
        "eventing/sources/triage.yaml",
        lambda b: [b["spec"]["delivery"].pop(k) for k in ("retry", "backoffDelay", "timeout", "backoffPolicy")],
    )
    d = load_eventing(root).sources["triage"].delivery
    assert (d.retry, d.backoff_policy, d.backoff_delay, d.timeout) == (0, "exponential", 0.2, 600.0)


BROKEN = {
    "no-delivery": (lambda b: b["spec"].pop("delivery"), "KafkaSource/triage: spec.delivery: Field required"),
    "sink-undeclared": (
        lambda b: b["spec"]["sink"]["ref"].update(name="triag"),
        "KafkaSource/triage: spec.sink.ref.name: no Knative Service 'triag' is declared",
    ),
    "dls-undeclared": (
        lambda b: b["spec"]["delivery"]["deadLetterSink"]["ref"].update(name="nowhere"),
        "KafkaSource/triage: spec.delivery.deadLetterSink.ref.name: no KafkaSink 'nowhere' is declared",
    ),
    "dls-wrong-kind": (
        lambda b: b["spec"]["delivery"]["deadLetterSink"]["ref"].update(kind="Broker"),
        "spec.delivery.deadLetterSink.ref.kind: Input should be 'KafkaSink', got 'Broker'",
    ),
    "bad-duration": (
        lambda b: b["spec"]["delivery"].update(backoffDelay="500ms"),
        "KafkaSource/triage: spec.delivery.backoffDelay: '500ms' is not an ISO-8601 duration such as PT0.5S",
    ),
    "bad-offset": (
        lambda b: b["spec"].update(initialOffset="oldest"),
        "spec.initialOffset: Input should be 'earliest' or 'latest', got 'oldest'",
    ),
    "retry-string": (
        lambda b: b["spec"]["delivery"].update(retry="3"),
        "spec.delivery.retry: Input should be a valid integer, got '3'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_source_raises_with_field_path(case: str, tmp_path: Path) -> None:
    change, expected = BROKEN[case]
    root = project_copy(tmp_path)
    edit(root, "eventing/sources/triage.yaml", change)
    with pytest.raises(ConfigurationError) as info:
        load_eventing(root)
    assert str(info.value).startswith("eventing/sources/triage.yaml: ")
    assert expected in str(info.value)


def test_malformed_yaml_raises_naming_the_file(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    (root / "eventing/sources/concepts.yaml").write_text("spec:\n  topics: [a\n")
    with pytest.raises(ConfigurationError, match=r"^eventing/sources/concepts.yaml: malformed YAML"):
        load_eventing(root)


def test_missing_listed_file_raises(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    (root / "eventing/sinks/struggle-detected-dlq.yaml").unlink()
    with pytest.raises(ConfigurationError, match=r"resources\[9\]: 'sinks/struggle-detected-dlq"):
        load_eventing(root)
