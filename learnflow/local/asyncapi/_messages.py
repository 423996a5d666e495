"""The messages: one per eventType, and one per dead-letter topic, with their examples."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from learnflow.events import JSON, ConfigurationError, Topic
from learnflow.local.asyncapi._examples import dead_letter_examples, is_seed, message_example
from learnflow.local.asyncapi._headers import CLOUDEVENTS_TRAIT, DEAD_LETTER_TRAIT, KEY_BINDINGS
from learnflow.local.asyncapi._schemas import COMPONENTS_PREFIX
from learnflow.local.manifests import Eventing, KafkaSource


def camel(name: str) -> str:
    """``learning-events.dlq`` as ``learningEventsDlq``: ids that code generators turn into names."""
    first, *rest = re.split(r"[^A-Za-z0-9]+", name)
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/{kind}/{name}"}


def dead_letter_message_id(topic: Topic) -> str:
    return camel(topic.name) + "DeadLetter"


def _destination(source: KafkaSource) -> str:
    """The URL Knative delivers to, which a dead letter names in knativeerrordest."""
    sink = source.sink
    path = "" if sink.path == "/" else sink.path
    return f"http://{sink.service}.{sink.ref.namespace or source.namespace}.svc.cluster.local{path}"


def event_message(event_type: str, topic: Topic, payload: str, producer: str | None) -> dict[str, Any]:
    """The message of one eventType; ``producer`` writes its example's headers (None: no headers)."""
    return {
        "name": event_type,
        "title": payload,
        "summary": f"{event_type}, on {topic.name}.",
        "contentType": JSON,
        "traits": [ref("components/messageTraits", CLOUDEVENTS_TRAIT)],
        "headers": {"type": "object", "properties": {"ce_type": {"const": event_type}}},
        "payload": {"$ref": COMPONENTS_PREFIX + payload},
        "bindings": ref("components/messageBindings", KEY_BINDINGS),
        "examples": [message_example(event_type, topic, producer)],
    }


def dead_letter_message(
    topic: Topic, payloads: Mapping[str, str], producers: Mapping[str, str], source: KafkaSource
) -> dict[str, Any]:
    """The message of ``topic``'s dead-letter topic, which ``source`` writes."""
    ours = [et for et in topic.event_types if et in producers]
    if not ours:
        raise ConfigurationError(
            f"no participant with a producer sends an eventType of {topic.name!r}, so no dead letter can be shown"
        )
    # The seed's document if the topic has one: the example a reader knows already.
    event_type = min(ours, key=lambda et: (not is_seed(et), et))
    originals = [{"$ref": COMPONENTS_PREFIX + payloads[et]} for et in sorted(topic.event_types)]
    refused = {"description": "Anything else: a record refused as invalid is dead-lettered as it was written."}
    examples = dead_letter_examples(topic, event_type, producers[event_type], source.name, source.namespace, _destination(source))
    return {
        "name": topic.dlq,
        "title": f"Dead letter of {topic.name}",
        "summary": f"The original record of {topic.name}, with Knative's error extensions.",
        "contentType": JSON,
        "traits": [ref("components/messageTraits", CLOUDEVENTS_TRAIT), ref("components/messageTraits", DEAD_LETTER_TRAIT)],
        "payload": {
            "description": f"The original record's value, unchanged: usually a document of {topic.name}.",
            "anyOf": [*originals, refused],
        },
        "bindings": ref("components/messageBindings", KEY_BINDINGS),
        "examples": examples,
    }


def messages(
    topics: Mapping[str, Topic], eventing: Eventing, payloads: Mapping[str, str], producers: Mapping[str, str]
) -> dict[str, Any]:
    """``components.messages``: each topic's eventTypes, then its dead letters."""
    out: dict[str, Any] = {}
    for topic in topics.values():
        for et in sorted(topic.event_types):
            out[camel(et)] = event_message(et, topic, payloads[et], producers.get(et))
        if topic.dead_lettered:
            source = eventing.source_consuming(topic.name)
            out[dead_letter_message_id(topic)] = dead_letter_message(topic, payloads, producers, source)
    return out
