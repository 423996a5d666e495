"""eventing/asyncapi.yaml read as plain YAML, independently of its generator, against the sources.

Nothing from ``learnflow.local.asyncapi`` is imported here: the document is checked
against the topic registry, the schema files in ``eventing/schemas``, the KafkaTopics
and KafkaSources of ``eventing/``, and the seed's documents. Where a payload differs
from its schema file in form, the two AsyncAPI adaptations are applied to the file's
side here: a ``$ref`` with siblings means ``allOf: [target]`` plus the siblings, and
OpenAPI's ``discriminator`` object is an annotation AsyncAPI spells differently.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
import yaml

from learnflow.events import DLQ_PARTITIONS, TOPICS, Topic
from learnflow.local.manifests import load_eventing

from ..support.seed import SEED_DIR
from ._tree import ROOT

DOCUMENT = yaml.safe_load((ROOT / "eventing" / "asyncapi.yaml").read_text(encoding="utf-8"))
SCHEMA_DIR = ROOT / "eventing" / "schemas"
EVENT_TYPES = sorted((et, t) for t in TOPICS.values() for et in t.event_types)


def _pointer(doc: Any, ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref} is outside the document"
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _follow(ref: str) -> Any:
    """The object a reference names, through references to references."""
    node = _pointer(DOCUMENT, ref)
    return _follow(node["$ref"]) if isinstance(node, dict) and "$ref" in node else node


def _inline(node: Any, lookup: Callable[[str], Any]) -> Any:
    """``node`` with every ``$ref`` replaced by its target, in draft-07 terms."""
    if isinstance(node, list):
        return [_inline(item, lookup) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inline(v, lookup) for k, v in node.items() if k != "$ref" and not (k == "discriminator" and isinstance(v, dict))}
    if "$ref" not in node:
        return out
    target = _inline(lookup(node["$ref"]), lookup)
    return {"allOf": [target], **out} if out else target


def _from_document(node: Any) -> Any:
    return _inline(node, lambda ref: _pointer(DOCUMENT, ref))


def _file_schema(topic: Topic, event_type: str) -> Any:
    """The schema of ``event_type`` in its topic's schema file, references inlined."""
    schema = json.loads((SCHEMA_DIR / f"{topic.name}.schema.json").read_text())
    root = {k: v for k, v in schema.items() if k not in ("$id", "$schema", "$defs")}
    candidates = [root, *schema.get("$defs", {}).values()]
    (model,) = [c for c in candidates if c.get("properties", {}).get("eventType", {}).get("const") == event_type]
    return _inline(model, lambda ref: _pointer(schema, ref))


def _channel(address: str) -> dict[str, Any]:
    (channel,) = [c for c in DOCUMENT["channels"].values() if c["address"] == address]
    return channel


def _message(event_type: str) -> dict[str, Any]:
    (message,) = [m for m in DOCUMENT["components"]["messages"].values() if m["name"] == event_type]
    return message


def _operations(address: str, action: str) -> list[dict[str, Any]]:
    return [
        op
        for op in DOCUMENT["operations"].values()
        if op["action"] == action and _pointer(DOCUMENT, op["channel"]["$ref"])["address"] == address
    ]


def _merge(target: Any, patch: Any) -> Any:
    """JSON Merge Patch (RFC 7386), which AsyncAPI 3 applies to traits and then the message."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = _merge(out.get(key), value)
    return out


def _with_traits(message: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for trait in message.get("traits", []):
        merged = _merge(merged, _pointer(DOCUMENT, trait["$ref"]))
    return _merge(merged, {k: v for k, v in message.items() if k != "traits"})


def test_it_is_asyncapi_3() -> None:
    assert DOCUMENT["asyncapi"].startswith("3.")


def test_every_registry_topic_has_a_channel_with_its_kafka_topic_binding() -> None:
    declared = load_eventing(ROOT).topics
    expected = {t.name: t.partitions for t in TOPICS.values()}
    expected |= {t.dlq: DLQ_PARTITIONS for t in TOPICS.values() if t.dead_lettered}
    assert sorted(c["address"] for c in DOCUMENT["channels"].values()) == sorted(expected)
    for name, partitions in expected.items():
        binding = _channel(name)["bindings"]["kafka"]
        assert (binding["topic"], binding["partitions"], binding["replicas"]) == (name, partitions, declared[name].replicas)
        assert binding["topicConfiguration"]["retention.ms"] == declared[name].config["retention.ms"]


@pytest.mark.parametrize(("event_type", "topic"), EVENT_TYPES, ids=[et for et, _ in EVENT_TYPES])
def test_every_model_has_a_message_whose_payload_is_its_schema_file(event_type: str, topic: Topic) -> None:
    message = _message(event_type)
    assert message in [_follow(ref["$ref"]) for ref in _channel(topic.name)["messages"].values()]
    assert _from_document(message["payload"]) == _file_schema(topic, event_type)


@pytest.mark.parametrize(("event_type", "topic"), EVENT_TYPES, ids=[et for et, _ in EVENT_TYPES])
def test_every_message_is_keyed_by_user_id_and_carries_cloudevents_headers(event_type: str, topic: Topic) -> None:
    message = _with_traits(_message(event_type))
    key = _pointer(DOCUMENT, message["bindings"]["$ref"])["kafka"]["key"]
    assert (key["type"], key["format"]) == ("string", "uuid")
    headers = message["headers"]["properties"]
    assert {"ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_partitionkey", "content-type"} <= set(headers)
    assert headers["ce_type"]["const"] == event_type


@pytest.mark.parametrize(("event_type", "topic"), EVENT_TYPES, ids=[et for et, _ in EVENT_TYPES])
def test_every_example_is_what_its_producer_writes(event_type: str, topic: Topic) -> None:
    message = _with_traits(_message(event_type))
    payload_schema = jsonschema.Draft7Validator(_from_document(message["payload"]), format_checker=jsonschema.FormatChecker())
    headers_schema = jsonschema.Draft7Validator(message["headers"], format_checker=jsonschema.FormatChecker())
    assert message["examples"]
    for example in message["examples"]:
        event = topic.parse(example["payload"])
        payload_schema.validate(example["payload"])
        if "headers" in example:  # absent when no producer of ours writes this eventType
            headers_schema.validate(example["headers"])
            assert example["headers"]["ce_id"] == str(event.event_id)
            assert example["headers"]["ce_partitionkey"] == str(event.user_id)


@pytest.mark.parametrize("name", ["learning-event.json", "code-submitted.json", "struggle-detected.json"])
def test_the_seed_documents_are_the_examples(name: str) -> None:
    seed = json.loads((SEED_DIR / name).read_text())
    assert seed in [e["payload"] for e in _message(seed["eventType"])["examples"]]


def test_every_kafka_source_consumer_group_receives_its_topics() -> None:
    sources = load_eventing(ROOT).sources.values()
    assert sources
    for source in sources:
        for topic in source.topics:
            groups = [op.get("bindings", {}).get("kafka", {}).get("groupId", {}) for op in _operations(topic, "receive")]
            assert {"type": "string", "enum": [source.consumer_group]} in groups, f"{source.name} on {topic}"


@pytest.mark.parametrize(
    ("topic", "reads", "sends"),
    [
        ("learning-events", ["code.executed"], ["exercise.started", "exercise.completed", "help.requested"]),
        ("proactive-help", ["help.explanation"], []),
        ("code-submitted", [], ["code.submitted"]),
    ],
)
def test_the_learner_gateway_reads_without_a_group_and_publishes(topic: str, reads: list[str], sends: list[str]) -> None:
    def names(op: dict[str, Any]) -> list[str]:
        return [_follow(ref["$ref"])["name"] for ref in op["messages"]]

    def gateways(action: str) -> list[dict[str, Any]]:
        ops = _operations(topic, action)
        return [op for op in ops if any(_pointer(DOCUMENT, t["$ref"])["name"] == "Learner gateway" for t in op.get("tags", []))]

    received = gateways("receive")
    assert [names(op) for op in received] == ([reads] if reads else [])
    assert all("groupId" not in op["bindings"]["kafka"] for op in received)
    assert [sorted(names(op)) for op in gateways("send")] == ([sorted(sends)] if sends else [])


@pytest.mark.parametrize("topic", [t for t in TOPICS.values() if t.dead_lettered], ids=lambda t: t.name)
def test_dead_letters_carry_the_original_and_knative_error_extensions(topic: Topic) -> None:
    channel = _channel(topic.dlq)
    (ref,) = channel["messages"].values()
    message = _with_traits(_pointer(DOCUMENT, ref["$ref"]))
    headers = message["headers"]
    assert {"ce_knativeerrordest", "ce_knativeerrorcode", "ce_knativeerrordata"} <= set(headers["properties"])
    assert "ce_knativeerrordest" in headers["required"]
    originals = [_from_document(alt) for alt in message["payload"]["anyOf"]]
    for event_type in topic.event_types:
        assert _file_schema(topic, event_type) in originals
    assert _operations(topic.dlq, "send") and _operations(topic.dlq, "receive")
    check = jsonschema.Draft7Validator(headers, format_checker=jsonschema.FormatChecker())
    codes = set()
    for example in message["examples"]:
        check.validate(example["headers"])
        codes.add(example["headers"]["ce_knativeerrorcode"])
    assert codes == {"400", "503"}  # refused at once, and retried until the retries ran out


def test_every_reference_is_inside_the_document() -> None:
    def refs(node: Any) -> list[str]:
        if isinstance(node, list):
            return [r for item in node for r in refs(item)]
        if isinstance(node, dict):
            own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return own + [r for value in node.values() for r in refs(value)]
        return []

    found = refs(DOCUMENT)
    assert found
    for ref in found:
        _pointer(DOCUMENT, ref)  # raises (KeyError, AssertionError) for a dangling or outside reference


def test_servers_are_the_cluster_bootstrap_and_the_embedded_broker() -> None:
    bootstrap = {s for source in load_eventing(ROOT).sources.values() for s in source.bootstrap_servers}
    hosts = {name: server["host"] for name, server in DOCUMENT["servers"].items()}
    assert {hosts["cluster"]} == bootstrap
    assert hosts["local"].startswith("127.0.0.1:")
    assert all(s["protocol"] == "kafka" for s in DOCUMENT["servers"].values())
