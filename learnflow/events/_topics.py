"""The topic registry: every topic, its key, its contract and its dead-letter topic.

This is the one place code learns topic names. The Strimzi KafkaTopics in
``eventing/`` declare the same topics for a cluster; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import TypeAdapter

from learnflow.events._contracts._base import Envelope
from learnflow.events._contracts.code import CodeSubmitted
from learnflow.events._contracts.help import HelpExplanation
from learnflow.events._contracts.learning import LearningEvent
from learnflow.events._contracts.struggle import StruggleDetected
from learnflow.events._errors import UnknownTopic
from learnflow.events._validation import validate_document

DLQ_SUFFIX = ".dlq"


def _event_types(model: Any) -> frozenset[str]:
    members = get_args(get_args(model)[0]) if get_args(model) else (model,)
    return frozenset(m.type_name() for m in members)


@dataclass(frozen=True)
class Topic:
    """A Kafka topic carrying one contract, keyed by userId."""

    name: str
    model: Any  # a model class, or an Annotated discriminated union of them
    partitions: int
    dead_lettered: bool = True
    adapter: TypeAdapter[Any] = field(init=False, repr=False, compare=False)
    event_types: frozenset[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "adapter", TypeAdapter(self.model))
        object.__setattr__(self, "event_types", _event_types(self.model))

    @property
    def dlq(self) -> str:
        return self.name + DLQ_SUFFIX

    def parse(self, document: Any) -> Envelope:
        """Validate a seed document (dict, JSON bytes or text) for this topic."""
        event: Envelope = validate_document(self.adapter, document, self.event_types)
        return event

    def json_schema(self) -> dict[str, Any]:
        schema = self.adapter.json_schema(by_alias=True)
        schema["$id"] = f"https://learnflow.dev/schemas/{self.name}.schema.json"
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema.setdefault("title", self.name)
        return schema


# Three partitions: the learner key spreads well enough, one consumer per partition
# keeps a 2-core laptop busy without rebalancing storms, and it matches the cluster.
LEARNING_EVENTS = Topic("learning-events", LearningEvent, partitions=3)
# Six: its source is unordered, and its partitions are sized for the runs in flight in the
# cluster (eventing/topics/code-submitted.yaml says how).
CODE_SUBMITTED = Topic("code-submitted", CodeSubmitted, partitions=6)
STRUGGLE_DETECTED = Topic("struggle-detected", StruggleDetected, partitions=3)
# proactive-help is read by the push gateway, outside this backbone: nothing here
# delivers it, so nothing dead-letters it.
PROACTIVE_HELP = Topic("proactive-help", HelpExplanation, partitions=3, dead_lettered=False)

TOPICS: dict[str, Topic] = {t.name: t for t in (LEARNING_EVENTS, CODE_SUBMITTED, STRUGGLE_DETECTED, PROACTIVE_HELP)}

DLQ_PARTITIONS = 1
"""Dead letters are rare and replayed by hand; one partition keeps them in arrival order."""


def get_topic(name: str) -> Topic:
    try:
        return TOPICS[name]
    except KeyError:
        raise UnknownTopic(name, sorted(TOPICS)) from None


def topic_for_event_type(event_type: str) -> Topic:
    for t in TOPICS.values():
        if event_type in t.event_types:
            return t
    raise UnknownTopic(event_type, sorted(et for t in TOPICS.values() for et in t.event_types))


def topic_of(event: Envelope) -> Topic:
    return topic_for_event_type(event.event_type)


def all_topic_partitions() -> dict[str, int]:
    """Every topic to create, dead-letter topics included, with its partition count."""
    out = {t.name: t.partitions for t in TOPICS.values()}
    out.update({t.dlq: DLQ_PARTITIONS for t in TOPICS.values() if t.dead_lettered})
    return out
