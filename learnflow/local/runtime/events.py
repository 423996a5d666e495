"""What KafkaSource adds to the codec: how it reads a record, and Knative's dead-letter extensions.

Nothing is decoded to a contract model here, because neither KafkaSource nor KafkaSink
does: events pass through as they are, read and written by the codec in
``learnflow.events``. What is Knative's own lives here: a record that is no CloudEvent is
wrapped exactly as KafkaSource wraps it, and dead letters carry Knative's error extensions.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from learnflow.events import (
    KAFKA_WRAPPER_TYPE,
    SPECVERSION,
    CloudEventMessage,
    KafkaRecord,
    NotACloudEvent,
    from_binary,
    from_structured,
    record_mode,
)
from learnflow.local.runtime.policy import Attempt

ERROR_DATA_LIMIT = 1024  # bytes of response body kept, before base64 (Knative's limit)
_EXTENSION_NAME = re.compile(r"[^a-z0-9]")


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
    try:
        if mode == "binary":
            return from_binary(record)
        if mode == "structured":
            return from_structured(record)
    except NotACloudEvent:
        pass  # KafkaSource's interceptor wraps an invalid CloudEvent like any other plain record
    return wrap_plain_record(record, origin)


def wrap_plain_record(record: KafkaRecord, origin: RecordOrigin) -> CloudEventMessage:
    """KafkaSource's InvalidCloudEventInterceptor: a plain record as dev.knative.kafka.event."""
    attributes = {
        "specversion": SPECVERSION,
        "type": KAFKA_WRAPPER_TYPE,
        "source": f"/apis/v1/namespaces/{origin.namespace}/kafkasources/{origin.source_name}#{origin.topic}",
        "subject": f"partition:{origin.partition}#{origin.offset}",
        "id": f"partition:{origin.partition}/offset:{origin.offset}",
    }
    if origin.timestamp_ms is not None and origin.timestamp_ms >= 0:
        instant = datetime.fromtimestamp(origin.timestamp_ms / 1000, UTC)
        attributes["time"] = instant.isoformat().replace("+00:00", "Z")
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
