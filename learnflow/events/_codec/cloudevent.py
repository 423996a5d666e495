"""A CloudEvent as the codec moves it: attributes as text, data as undecoded bytes.

Every binding in this package converts to and from this one value, so an event a
function publishes and an event the dispatcher or the ingress passes through reach the
wire by the same code. Nothing here decodes data: pass-through keeps it as it came.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from learnflow.events._contracts._base import Envelope

SPECVERSION = "1.0"
JSON = "application/json"
STRUCTURED = "application/cloudevents+json"
KAFKA_WRAPPER_TYPE = "dev.knative.kafka.event"
"""The type KafkaSource gives a record that was not a CloudEvent; its data is the record value."""

_ATTRIBUTE_NAME = re.compile(r"[a-z0-9]+")  # CloudEvents: lower-case ASCII letters and digits only
# What Knative's data plane (the CloudEvents Java SDK, cloudevents/sdk-java
# formats/json-jackson/.../JsonFormat.java, dataIsJsonContentType) takes for JSON data.
_JSON_CONTENT_TYPE = re.compile(r"(application|text)/([a-zA-Z]+\+)?json(;.*)*")


@dataclass(frozen=True)
class CloudEventMessage:
    """A CloudEvent as plain attributes (all strings, ``datacontenttype`` among them) and undecoded data."""

    attributes: dict[str, str]
    data: bytes | None

    @property
    def id(self) -> str:
        return self.attributes.get("id", "")

    @property
    def type(self) -> str:
        return self.attributes.get("type", "")

    def with_extensions(self, extra: Mapping[str, str]) -> CloudEventMessage:
        return replace(self, attributes={**self.attributes, **extra})


def invalid_attribute_names(attributes: Mapping[str, object]) -> list[str]:
    """Names no CloudEvent may have: such an event cannot be sent in binary mode."""
    return [name for name in attributes if not _ATTRIBUTE_NAME.fullmatch(name)]


def is_json_content_type(content_type: str | None) -> bool:
    """Whether a ``datacontenttype`` says JSON; absent counts as JSON, as the JSON event format says."""
    return content_type is None or _JSON_CONTENT_TYPE.fullmatch(content_type) is not None


def ce_source(producer: str) -> str:
    """The CloudEvents ``source`` of everything a producer writes."""
    return f"/learnflow/{producer}"


def to_cloudevent(event: Envelope, source: str) -> CloudEventMessage:
    """A contract event as the CloudEvent it travels as (DESIGN §2): the seed document is the data."""
    attributes = {
        "specversion": SPECVERSION,
        "id": str(event.event_id),
        "type": event.event_type,
        "source": source,
        "time": event.to_wire_dict()["timestamp"],
        "datacontenttype": JSON,
        "partitionkey": str(event.user_id),
    }
    return CloudEventMessage(attributes, event.to_json_bytes())
