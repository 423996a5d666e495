"""The AsyncAPI generator: its schema conversion, its checks, and the document being current."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any, Literal

import pytest
from click.testing import CliRunner

from learnflow.events import TOPICS, ConfigurationError, Envelope, Topic, WireModel
from learnflow.local import asyncapi
from learnflow.local.asyncapi._examples import DOCUMENTS, SEED_DOCUMENTS
from learnflow.local.asyncapi._schemas import components, split_topic_schema, to_asyncapi
from learnflow.local.asyncapi._servers import LOCAL_PORT
from learnflow.local.cli._broker import broker
from learnflow.local.cli._schemas import schemas
from learnflow.local.cli._up import up
from learnflow.local.manifests import KafkaTopic, load_eventing

from ..support.seed import SEED_DIR
from ..support.verdicts import VERDICT, VERDICTS

ROOT = asyncapi.PROJECT_ROOT


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [d for item in node for d in _walk(item)]
    if isinstance(node, dict):
        return [node, *(d for value in node.values() for d in _walk(value))]
    return []


def test_the_checked_in_document_is_current() -> None:
    assert not asyncapi.is_stale(), "run `make schemas` and commit eventing/asyncapi.yaml"


def test_the_schemas_command_reports_a_stale_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asyncapi, "is_stale", lambda root=ROOT: True)
    result = CliRunner().invoke(schemas, [])
    assert result.exit_code == 1
    assert "asyncapi.yaml" in result.output


def test_refs_to_defs_point_into_components() -> None:
    assert to_asyncapi({"items": {"$ref": "#/$defs/Item"}}) == {"items": {"$ref": "#/components/schemas/Item"}}


def test_a_ref_with_siblings_becomes_all_of() -> None:
    converted = to_asyncapi({"$ref": "#/$defs/Status", "description": "How it ended."})
    assert converted == {"allOf": [{"$ref": "#/components/schemas/Status"}], "description": "How it ended."}


def test_an_openapi_discriminator_is_dropped_and_the_one_of_kept() -> None:
    schema = {"oneOf": [{"$ref": "#/$defs/A"}], "discriminator": {"propertyName": "kind", "mapping": {}}}
    assert to_asyncapi(schema) == {"oneOf": [{"$ref": "#/components/schemas/A"}]}


def test_a_union_topic_splits_into_one_schema_per_event_type() -> None:
    split = split_topic_schema(TOPICS["learning-events"].json_schema())
    assert split.events == {
        "code.executed": "CodeExecuted",
        "exercise.completed": "ExerciseCompleted",
        "exercise.started": "ExerciseStarted",
        "help.requested": "HelpRequested",
    }


def test_a_single_model_topic_is_named_by_its_title() -> None:
    split = split_topic_schema(TOPICS["code-submitted"].json_schema())
    assert split.events == {"code.submitted": "CodeSubmitted"}
    assert "$id" not in split.definitions["CodeSubmitted"]


def test_a_nested_tagged_union_becomes_a_valid_asyncapi_schema() -> None:
    schemas = components([VERDICTS]).schemas
    nodes = _walk(schemas)
    assert not [n for n in nodes if isinstance(n.get("discriminator"), dict)]
    assert not [n for n in nodes if "$ref" in n and len(n) > 1]
    refs = {n["$ref"] for n in nodes if "$ref" in n}
    assert refs and all(r.removeprefix("#/components/schemas/") in schemas for r in refs)


def test_definitions_shared_by_topics_are_written_once() -> None:
    result = components(TOPICS.values())
    assert "StruggleType" in result.schemas  # defined by struggle-detected and proactive-help alike
    assert set(result.payloads) == {et for t in TOPICS.values() for et in t.event_types}


def test_a_name_two_topics_define_differently_is_refused() -> None:
    class StruggleData(WireModel):  # the name of struggle-detected's data model, another shape
        other: int

    class Clash(Envelope):
        event_type: Literal["clash.found"]
        data: StruggleData

    with pytest.raises(ConfigurationError, match="'StruggleData' differs"):
        components([TOPICS["struggle-detected"], Topic("clashes", Clash, partitions=1)])


def _build(declared: dict[str, KafkaTopic], topics: dict[str, Topic] = TOPICS) -> dict[str, Any]:
    eventing = dataclasses.replace(load_eventing(ROOT), topics=declared)
    return asyncapi.build(topics, eventing, asyncapi.PARTICIPANTS, "0")


def test_a_registry_topic_without_a_kafka_topic_is_refused() -> None:
    declared = {name: t for name, t in load_eventing(ROOT).topics.items() if name != "proactive-help"}
    with pytest.raises(ConfigurationError, match="'proactive-help' is in the registry but no KafkaTopic"):
        _build(declared)


def test_partitions_that_disagree_with_the_kafka_topic_are_refused() -> None:
    declared = dict(load_eventing(ROOT).topics)
    declared["code-submitted"] = dataclasses.replace(declared["code-submitted"], partitions=9)
    with pytest.raises(ConfigurationError, match="registry says 6 partitions, its KafkaTopic 9"):
        _build(declared)


def test_a_participant_naming_an_unknown_event_type_is_refused() -> None:
    ghost = asyncapi.Participant("ghost", "Ghost", "Sends what nobody carries.", sends=("ghost.seen",))
    with pytest.raises(ConfigurationError, match=re.escape("no topic of the registry carries 'ghost.seen'")):
        asyncapi.build(TOPICS, load_eventing(ROOT), [ghost], "0")


def test_a_service_no_kafka_source_feeds_is_refused() -> None:
    idle = asyncapi.Participant("idle", "Idle", "Waits for a KafkaSource.", service="nobody")
    with pytest.raises(ConfigurationError, match="no KafkaSource delivers to the Service 'nobody'"):
        asyncapi.build(TOPICS, load_eventing(ROOT), [idle], "0")


def _with_verdicts() -> dict[str, Any]:
    declared = {**load_eventing(ROOT).topics, "verdicts": KafkaTopic(name="verdicts", partitions=1, replicas=1)}
    return _build(declared, {**TOPICS, "verdicts": VERDICTS})


def test_an_event_type_without_an_example_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=re.escape("no example document for 'verdict.given'")):
        _with_verdicts()


def test_a_new_topic_with_its_kafka_topic_gets_a_channel_and_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(DOCUMENTS, "verdict.given", VERDICT)
    doc = _with_verdicts()
    assert doc["channels"]["verdicts"]["address"] == "verdicts"
    assert doc["components"]["messages"]["verdictGiven"]["payload"] == {"$ref": "#/components/schemas/_Verdict"}


def test_every_event_type_has_an_example_its_model_accepts() -> None:
    for topic in TOPICS.values():
        for event_type in topic.event_types:
            assert topic.parse(DOCUMENTS[event_type]).event_type == event_type


@pytest.mark.parametrize("name", sorted(SEED_DOCUMENTS))
def test_the_seed_examples_are_the_seed_documents(name: str) -> None:
    assert SEED_DOCUMENTS[name] == json.loads((SEED_DIR / name).read_text())


def test_the_local_server_port_is_the_commands_default() -> None:
    defaults = {p.name: p.default for cmd in (up, broker) for p in cmd.params if p.name in ("broker_port", "port")}
    assert defaults == {"broker_port": LOCAL_PORT, "port": LOCAL_PORT}


def test_camel_case_ids() -> None:
    assert asyncapi.camel("learning-events.dlq") == "learningEventsDlq"
    assert asyncapi.camel("exercise.started") == "exerciseStarted"
