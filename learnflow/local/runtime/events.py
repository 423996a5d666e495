"""CloudEvents as the dispatcher and ingress move them: attributes plus raw data.

Nothing is decoded to a contract model here, because neither KafkaSource nor KafkaSink
does: events pass through as they are, in binary mode on HTTP and on Kafka. Plain
records are wrapped exactly as KafkaSource wraps them, and dead letters carry
Knative's error extensions.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from cloudevents.http import from_http

from learnflow.events import UNREADABLE_CLOUDEVENT, KafkaRecord, LearnflowError, record_mode
from learnflow.local.runtime.policy import Attempt

KAFKA_EVENT_TYPE = "dev.knative.kafka.event"
ERROR_DATA_LIMIT = 1024  # bytes of response body kept, before base64 (Knative's limit)
_EXTENSION_NAME = re.compile(r"[^a-z0-9]")
_ATTRIBUTE_NAME = re.compile(r"[a-z0-9]+")  # CloudEvents: lower-case ASCII letters and digits only
# CloudEvents HTTP binding 3.1.3.2: in a ce-* header, bytes outside printable ASCII, space,
# '"' and '%' are percent-encoded (UTF-8). Content-Type is a plain HTTP header: only what
# HTTP cannot carry is encoded there.
_CE_HEADER_UNSAFE = re.compile(r'[^\x21-\x7e]|["%]')
_HTTP_UNSAFE = re.compile(r"[^\x20-\x7e]")


def _percent_encode(value: str, unsafe: re.Pattern[str]) -> str:
    return unsafe.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "replace")), value)


def invalid_attribute_names(attributes: Mapping[str, str]) -> list[str]:
    """Names no CloudEvent may have: such an event cannot be sent in binary mode."""
    return [name for name in attributes if not _ATTRIBUTE_NAME.fullmatch(name)]


class NotACloudEvent(LearnflowError):
    """An HTTP request that carries no CloudEvent (the ingress answers 400)."""


@dataclass(frozen=True)
class CloudEventMessage:
    """A CloudEvent as plain attributes (all strings) and undecoded data."""

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

    def to_http(self) -> tuple[dict[str, str], bytes]:
        """Binary-mode HTTP: ``ce-*`` headers (values percent-encoded as the binding says), data as the body."""
        headers = {}
        for name, value in self.attributes.items():
            if name == "datacontenttype":
                headers["content-type"] = _percent_encode(value, _HTTP_UNSAFE)
            else:
                headers[f"ce-{name}"] = _percent_encode(value, _CE_HEADER_UNSAFE)
        return headers, self.data or b""

    def to_kafka(self) -> KafkaRecord:
        """Binary-mode Kafka record keyed by the ``partitionkey`` extension, as KafkaSink writes."""
        headers = []
        for name, value in self.attributes.items():
            headers.append(("content-type" if name == "datacontenttype" else f"ce_{name}", value.encode()))
        key = self.attributes.get("partitionkey")
        return KafkaRecord(key.encode() if key is not None else None, self.data, headers)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.decode() if isinstance(value, bytes) else str(value)


def message_from_http(headers: Mapping[str, str], body: bytes) -> CloudEventMessage:
    """Parse a binary or structured HTTP CloudEvent; NotACloudEvent if it is neither."""
    try:
        event = from_http(dict(headers), body, data_unmarshaller=lambda d: d)
    except UNREADABLE_CLOUDEVENT as exc:
        raise NotACloudEvent(f"not a CloudEvent: {type(exc).__name__}: {exc}") from exc
    data = event.get_data()
    if isinstance(data, str):
        data = data.encode()
    attributes = {k: _text(v) for k, v in event.get_attributes().items() if v is not None}
    if bad := invalid_attribute_names(attributes):
        raise NotACloudEvent(f"not a CloudEvent: invalid attribute names {bad!r} (lower-case letters and digits only)")
    if not _carries_time(headers, body):
        attributes.pop("time", None)  # the SDK invents one; a pass-through must not
    return CloudEventMessage(attributes, data)


def _carries_time(headers: Mapping[str, str], body: bytes) -> bool:
    lowered = {k.lower(): v for k, v in headers.items()}
    if "ce-time" in lowered:
        return True
    if not lowered.get("content-type", "").lower().startswith("application/cloudevents"):
        return False
    try:
        envelope = json.loads(body)
    except ValueError:
        return False
    return isinstance(envelope, dict) and "time" in envelope


@dataclass(frozen=True)
class RecordOrigin:
    """Where a record came from, for wrapping plain records like KafkaSource."""

    namespace: str
    source_name: str
    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None


def message_from_record(record: KafkaRecord, origin: RecordOrigin) -> CloudEventMessage:
    """The CloudEvent KafkaSource would deliver for this record."""
    mode = record_mode(record)
    if mode == "binary":
        attributes = {}
        for name, value in record.headers:
            lowered = name.lower()
            if lowered == "content-type":
                attributes["datacontenttype"] = value.decode("utf-8", "replace")
            elif lowered.startswith("ce_"):
                attributes[lowered[3:]] = value.decode("utf-8", "replace")
        if record.key is not None:
            attributes.setdefault("partitionkey", record.key.decode("utf-8", "replace"))
        if not invalid_attribute_names(attributes):
            return CloudEventMessage(attributes, record.value)
        # else: not a valid CloudEvent; KafkaSource's interceptor wraps it like a plain record
    elif mode == "structured":
        headers = {"content-type": record.header_text("content-type") or ""}
        try:
            return message_from_http(headers, record.value or b"")
        except NotACloudEvent:
            pass  # KafkaSource treats an unreadable envelope like any other plain record
    return wrap_plain_record(record, origin)


def wrap_plain_record(record: KafkaRecord, origin: RecordOrigin) -> CloudEventMessage:
    """KafkaSource's InvalidCloudEventInterceptor: a plain record as dev.knative.kafka.event."""
    attributes = {
        "specversion": "1.0",
        "type": KAFKA_EVENT_TYPE,
        "source": f"/apis/v1/namespaces/{origin.namespace}/kafkasources/{origin.source_name}#{origin.topic}",
        "subject": f"partition:{origin.partition}#{origin.offset}",
        "id": f"partition:{origin.partition}/offset:{origin.offset}",
    }
    if origin.timestamp_ms is not None and origin.timestamp_ms >= 0:
        attributes["time"] = _text(datetime.fromtimestamp(origin.timestamp_ms / 1000, UTC))
    content_type = record.header_text("content-type")
    if content_type:
        attributes["datacontenttype"] = content_type.lower()
    if record.key is not None:
        key = record.key.decode("utf-8", "replace")
        attributes["key"] = key
        attributes["partitionkey"] = key
    for name, value in record.headers:
        if name.lower() != "content-type":
            attributes["kafkaheader" + _EXTENSION_NAME.sub("", name.lower())] = value.decode("utf-8", "replace")
    return CloudEventMessage(attributes, record.value)


def error_extensions(destination: str, attempt: Attempt) -> dict[str, str]:
    """Knative's dead-letter extensions for the last failed attempt."""
    ext = {"knativeerrordest": destination}
    if attempt.status is not None:
        ext["knativeerrorcode"] = str(attempt.status)
    if attempt.body:
        ext["knativeerrordata"] = base64.b64encode(attempt.body[:ERROR_DATA_LIMIT]).decode("ascii")
    for name, value in attempt.headers.items():
        lowered = name.lower()
        if lowered.startswith("kne-") and len(lowered) > 4:
            ext[_EXTENSION_NAME.sub("", lowered[4:])] = value
    return ext
