"""The AsyncAPI 3.1 document of the backbone, assembled from values: nothing here reads a file.

- channels: one per topic of the registry and one per dead-letter topic, with the Kafka
  binding of the KafkaTopic that declares it;
- messages: one per eventType (payload from the models), one per dead-letter topic;
- operations: what each participant sends and receives; a KafkaSource's consumer group
  is its operation's ``groupId``; Knative's dispatcher sends the dead letters and
  ``learnflow dlq`` reads and replays them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from learnflow.events import DLQ_PARTITIONS, JSON, ConfigurationError, Topic
from learnflow.local.asyncapi._headers import (
    BINDING_VERSION,
    CLOUDEVENTS_TRAIT,
    DEAD_LETTER_TRAIT,
    KEY_BINDINGS,
    cloudevents_trait,
    dead_letter_trait,
    key_bindings,
)
from learnflow.local.asyncapi._messages import camel, dead_letter_message_id, ref
from learnflow.local.asyncapi._messages import messages as all_messages
from learnflow.local.asyncapi._participants import Participant
from learnflow.local.asyncapi._schemas import components
from learnflow.local.asyncapi._servers import servers
from learnflow.local.manifests import Eventing, KafkaSource, KafkaTopic

ASYNCAPI_VERSION = "3.1.0"
REPLAY_TOOL = "dlqReplay"
DISPATCHER = "knativeDispatcher"
# Kafka's integer topic settings the binding types as integers; Strimzi accepts text too.
_INTEGER_SETTINGS = frozenset({"retention.ms", "retention.bytes", "delete.retention.ms", "max.message.bytes"})


def pascal(name: str) -> str:
    camelled = camel(name)
    return camelled[:1].upper() + camelled[1:]


def _topic_binding(name: str, declared: KafkaTopic | None, partitions: int) -> dict[str, Any]:
    if declared is None:
        raise ConfigurationError(f"topic {name!r} is in the registry but no KafkaTopic in eventing/ declares it")
    if declared.partitions != partitions:
        raise ConfigurationError(
            f"topic {name!r}: the registry says {partitions} partitions, its KafkaTopic {declared.partitions}"
        )
    settings: dict[str, Any] = {}
    for key, value in declared.config.items():
        if key == "cleanup.policy":
            settings[key] = [part.strip() for part in str(value).split(",")]
        else:
            settings[key] = int(value) if key in _INTEGER_SETTINGS else value
    binding = {"topic": name, "partitions": declared.partitions, "replicas": declared.replicas}
    return {"kafka": {**binding, "topicConfiguration": settings, "bindingVersion": BINDING_VERSION}}


def _bootstrap(eventing: Eventing) -> str:
    found = {server for source in eventing.sources.values() for server in source.bootstrap_servers}
    found |= {server for sink in eventing.sinks.values() for server in sink.bootstrap_servers}
    if len(found) != 1:
        raise ConfigurationError(f"expected one bootstrap address across the KafkaSources and KafkaSinks, found {sorted(found)}")
    return str(found.pop())


class _Builder:
    def __init__(self, topics: Mapping[str, Topic], eventing: Eventing, participants: Sequence[Participant]) -> None:
        self.topics = topics
        self.eventing = eventing
        self.participants = participants
        self.by_type = {et: t for t in topics.values() for et in sorted(t.event_types)}
        self.producers: dict[str, str] = {}
        for p in participants:
            for et in (*p.sends, *p.reads):
                if et not in self.by_type:
                    raise ConfigurationError(f"participant {p.name!r}: no topic of the registry carries {et!r}")
            for et in p.sends:
                if p.producer is not None:
                    self.producers.setdefault(et, p.producer)
        self.operations: dict[str, dict[str, Any]] = {}
        self.writers: dict[str, list[str]] = {}
        self.readers: dict[str, list[str]] = {}
        self.tags: dict[str, dict[str, str]] = {}

    # -- operations ------------------------------------------------------------------

    def _operation(self, op_id: str, action: str, topic_name: str, message_ids: Sequence[str], who: str, **fields: Any) -> None:
        channel = camel(topic_name)
        if op_id in self.operations:
            raise ConfigurationError(f"two operations are called {op_id!r}")
        self.operations[op_id] = {
            "action": action,
            "channel": ref("channels", channel),
            **fields,
            "messages": [ref(f"channels/{channel}/messages", m) for m in message_ids],
        }
        (self.writers if action == "send" else self.readers).setdefault(topic_name, []).append(who)

    def _by_topic(self, event_types: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for et in event_types:
            out.setdefault(self.by_type[et].name, []).append(camel(et))
        return out

    def participant(self, p: Participant) -> None:
        tag = [ref("components/tags", p.name)]
        self.tags[p.name] = {"name": p.title, "description": p.description}
        if p.service is not None:
            fed = [s for s in self.eventing.sources.values() if s.sink.service == p.service]
            if not fed:
                raise ConfigurationError(f"participant {p.name!r}: no KafkaSource delivers to the Service {p.service!r}")
            for source in fed:
                self._delivered(p, source)
        for topic_name, messages in self._by_topic(p.reads).items():
            self._operation(
                f"{p.name}Receives{pascal(topic_name)}",
                "receive",
                topic_name,
                messages,
                f"{p.title} (no consumer group)",
                title=f"{p.title} reads {topic_name}",
                summary="Every partition, assigned by hand: no consumer group, nothing committed.",
                tags=tag,
                bindings={"kafka": {"bindingVersion": BINDING_VERSION}},
            )
        for topic_name, messages in self._by_topic(p.sends).items():
            via = {"summary": f"Through the KafkaSink {self._ingress_sink(p, topic_name)}."} if p.ingress else {}
            self._operation(
                f"{p.name}Sends{pascal(topic_name)}",
                "send",
                topic_name,
                messages,
                p.title,
                title=f"{p.title} publishes to {topic_name}",
                **via,
                tags=tag,
            )

    def _ingress_sink(self, p: Participant, topic_name: str) -> str:
        dead_letter_sinks = {s.delivery.dead_letter_sink.name for s in self.eventing.sources.values()}
        names = [k.name for k in self.eventing.sinks.values() if k.topic == topic_name and k.name not in dead_letter_sinks]
        if not names:
            raise ConfigurationError(f"participant {p.name!r}: no ingress KafkaSink writes to {topic_name!r}")
        return ", ".join(sorted(names))

    def _delivered(self, p: Participant, source: KafkaSource) -> None:
        d = source.delivery
        for topic_name in source.topics:
            topic = self.topics.get(topic_name)
            if topic is None:
                raise ConfigurationError(f"KafkaSource {source.name!r} reads {topic_name!r}, which is not in the registry")
            self._operation(
                f"{p.name}Receives{pascal(topic_name)}",
                "receive",
                topic_name,
                [camel(et) for et in sorted(topic.event_types)],
                f"{p.title} (consumer group {source.consumer_group})",
                title=f"{p.title} receives {topic_name}",
                summary=f"Delivered over HTTP by the KafkaSource {source.name}, one record at a time per partition.",
                description=(
                    f"KafkaSource {source.name} delivers every record of {topic_name} to the Knative "
                    f"Service {source.sink.service} ({source.ordering}). A 2xx is success; 5xx, 404, 408, 409, 429, "
                    f"timeouts ({d.timeout:g} s per attempt) and connection errors are retried {d.retry} times "
                    f"({d.backoff_policy}, backoffDelay {d.backoff_delay:g} s); any other 4xx, or the last failure, "
                    f"goes to {d.dead_letter_sink.topic} through the KafkaSink {d.dead_letter_sink.name}."
                ),
                tags=[ref("components/tags", p.name)],
                bindings={
                    "kafka": {"groupId": {"type": "string", "enum": [source.consumer_group]}, "bindingVersion": BINDING_VERSION}
                },
            )

    def dead_letters(self) -> None:
        """Knative's dispatcher writes each KafkaSource's dead letters; ``learnflow dlq`` reads and replays them."""
        self.tags[DISPATCHER] = {
            "name": "Knative's Kafka dispatcher",
            "description": "Delivers the records of each KafkaSource to its Knative Service over HTTP, and writes "
            "the dead letters through the KafkaSource's deadLetterSink.",
        }
        self.tags[REPLAY_TOOL] = {
            "name": "Operators",
            "description": "`learnflow dlq list|show|replay`: the operators' tool for dead letters.",
        }
        for source in self.eventing.sources.values():
            sink = source.delivery.dead_letter_sink
            topic = next((t for t in self.topics.values() if t.dead_lettered and t.dlq == sink.topic), None)
            if topic is None:
                raise ConfigurationError(
                    f"KafkaSource {source.name!r} dead-letters to {sink.topic!r}, no dead-letter topic of the registry"
                )
            self._operation(
                f"{camel(source.name)}KafkaSourceSendsDeadLetters",
                "send",
                sink.topic,
                [dead_letter_message_id(topic)],
                f"KafkaSource {source.name}",
                title=f"KafkaSource {source.name} dead-letters to {sink.topic}",
                description=(
                    f"Knative's Kafka dispatcher, for the KafkaSource {source.name}, writes a record the Service "
                    f"{source.sink.service} did not accept through the KafkaSink {sink.name} ({sink.content_mode} mode), "
                    "then commits its offset."
                ),
                tags=[ref("components/tags", DISPATCHER)],
            )
        for topic in self.topics.values():
            if not topic.dead_lettered:
                continue
            tool = "learnflow dlq"
            self._operation(
                f"{REPLAY_TOOL}Receives{pascal(topic.dlq)}",
                "receive",
                topic.dlq,
                [dead_letter_message_id(topic)],
                f"operators ({tool}, no consumer group)",
                title=f"Operators read {topic.dlq}",
                description=f"`{tool} list|show {topic.name}` reads the whole topic, without a consumer group.",
                tags=[ref("components/tags", REPLAY_TOOL)],
                bindings={"kafka": {"bindingVersion": BINDING_VERSION}},
            )
            self._operation(
                f"{REPLAY_TOOL}Sends{pascal(topic.name)}",
                "send",
                topic.name,
                [camel(et) for et in sorted(topic.event_types)],
                f"operators ({tool} replay)",
                title=f"Operators replay dead letters to {topic.name}",
                description=(
                    f"`{tool} replay {topic.name}` writes each chosen dead letter back unchanged, without the error "
                    "extensions, and counts the replays in ce_replaycount."
                ),
                tags=[ref("components/tags", REPLAY_TOOL)],
            )

    # -- channels and messages ------------------------------------------------------------

    def _who(self, topic_name: str) -> str:
        writers = "; ".join(self.writers.get(topic_name, [])) or "nobody"
        readers = "; ".join(self.readers.get(topic_name, [])) or "nobody"
        return f"Written by: {writers}. Read by: {readers}."

    def channels(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        declared = self.eventing.topics
        for topic in self.topics.values():
            messages = [camel(et) for et in sorted(topic.event_types)]
            out[camel(topic.name)] = {
                "address": topic.name,
                "title": topic.name,
                "summary": f"{', '.join(sorted(topic.event_types))}, keyed by userId.",
                "description": self._who(topic.name),
                "messages": {m: ref("components/messages", m) for m in messages},
                "bindings": _topic_binding(topic.name, declared.get(topic.name), topic.partitions),
            }
            if topic.dead_lettered:
                message = dead_letter_message_id(topic)
                out[camel(topic.dlq)] = {
                    "address": topic.dlq,
                    "title": topic.dlq,
                    "summary": f"Dead letters of {topic.name}: records its KafkaSource could not deliver.",
                    "description": self._who(topic.dlq),
                    "messages": {message: ref("components/messages", message)},
                    "bindings": _topic_binding(topic.dlq, declared.get(topic.dlq), DLQ_PARTITIONS),
                }
        return out


def build(topics: Mapping[str, Topic], eventing: Eventing, participants: Sequence[Participant], version: str) -> dict[str, Any]:
    """The whole document as plain data, in the order it is written."""
    schemas = components(topics.values())
    builder = _Builder(topics, eventing, participants)
    for p in participants:
        builder.participant(p)
    builder.dead_letters()
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "LearnFlow eventing",
            "version": version,
            "description": (
                "The Kafka topics of LearnFlow's event backbone. Every record's value is the seed's JSON document, "
                "its key the learner's userId, its headers a CloudEvent in binary mode. Generated by "
                "`learnflow schemas --write` (make schemas) from the topic registry, the pydantic contracts and "
                "the manifests in eventing/; edit those, not this file. The Dapr alternative (eventing/dapr) "
                "delivers the same topics with consumer groups of its own and is not described here."
            ),
        },
        "defaultContentType": JSON,
        "servers": servers(_bootstrap(eventing)),
        "channels": builder.channels(),
        "operations": builder.operations,
        "components": {
            "schemas": schemas.schemas,
            "messages": all_messages(topics, eventing, schemas.payloads, builder.producers),
            "tags": builder.tags,
            "messageTraits": {CLOUDEVENTS_TRAIT: cloudevents_trait(), DEAD_LETTER_TRAIT: dead_letter_trait()},
            "messageBindings": {KEY_BINDINGS: key_bindings()},
        },
    }
