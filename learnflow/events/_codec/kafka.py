"""CloudEvents on Kafka (DESIGN §2): pure functions over a neutral record value.

On write, a record is the CloudEvents Kafka binding in binary mode (``to_binary``): the
value is the data (for a contract event, the seed JSON document itself), the key the
``partitionkey`` (the userId), the attributes ``ce_*`` headers. A KafkaSink configured
for structured mode writes ``to_structured``. On read, three shapes are told apart by
``record_mode``: binary mode, structured mode (``application/cloudevents+json``, data
inline or as ``data_base64``) and a plain record written by a client that knows nothing
of CloudEvents, whose value is the seed document.

No Kafka client is touched here: callers map their client's record to KafkaRecord.

The cloudevents SDK's Kafka binding (``cloudevents.kafka``) does not fit any direction:
its functions take or build the SDK's CloudEvent, which invents ``id`` and ``time`` when
they are absent and refuses an event without ``source`` or ``type``, where a
pass-through must carry exactly what it was given. Each function says what else differs.
"""

from __future__ import annotations

import base64
import json
from typing import NamedTuple

from learnflow.events._codec.cloudevent import (
    STRUCTURED,
    CloudEventMessage,
    invalid_attribute_names,
    is_json_content_type,
    to_cloudevent,
)
from learnflow.events._codec.http import from_http
from learnflow.events._contracts._base import Envelope
from learnflow.events._errors import InvalidEvent, NotACloudEvent
from learnflow.events._topics import Topic


class KafkaRecord(NamedTuple):
    """What travels on Kafka: key, value and headers, independent of any client."""

    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]

    def header(self, name: str) -> bytes | None:
        """The last header of that name (case-insensitive), as Kafka clients resolve it."""
        name = name.lower()
        found = None
        for k, v in self.headers:
            if k.lower() == name:
                found = v
        return found

    def header_text(self, name: str) -> str | None:
        raw = self.header(name)
        return None if raw is None else raw.decode("utf-8", "replace")


def record_mode(record: KafkaRecord) -> str:
    """``structured``, ``binary`` or ``plain``: which of the three shapes a record has."""
    content_type = (record.header_text("content-type") or "").lower()
    if content_type.startswith(STRUCTURED):
        return "structured"
    if record.header("ce_specversion") is not None:
        return "binary"
    return "plain"


def to_binary(event: CloudEventMessage) -> KafkaRecord:
    """Binary mode, keyed by the ``partitionkey`` extension, as KafkaSink writes it."""
    # The SDK's to_binary writes ``partitionkey`` as the key only; KafkaSink, and the
    # backbone's contract, also keep it as the ce_partitionkey header.
    headers = []
    for name, value in event.attributes.items():
        headers.append(("content-type" if name == "datacontenttype" else f"ce_{name}", value.encode()))
    key = event.attributes.get("partitionkey")
    return KafkaRecord(key.encode() if key is not None else None, event.data, headers)


def from_binary(record: KafkaRecord) -> CloudEventMessage:
    """The CloudEvent of a binary-mode record; NotACloudEvent if it has no such shape or bad attribute names."""
    # The SDK's from_binary decodes header bytes strictly (one bad byte raises), and lets the
    # key replace a ce_partitionkey header (as bytes). Here a header wins and the key only
    # fills in for a missing one, and bytes that are not UTF-8 become U+FFFD.
    if record_mode(record) != "binary":
        raise NotACloudEvent("not a CloudEvent: no ce_specversion header")
    attributes = {}
    for name, value in record.headers:
        lowered = name.lower()
        if lowered == "content-type":
            attributes["datacontenttype"] = value.decode("utf-8", "replace")
        elif lowered.startswith("ce_"):
            attributes[lowered[3:]] = value.decode("utf-8", "replace")
    if record.key is not None:
        attributes.setdefault("partitionkey", record.key.decode("utf-8", "replace"))
    if bad := invalid_attribute_names(attributes):
        raise NotACloudEvent(f"not a CloudEvent: invalid attribute names {bad!r} (lower-case letters and digits only)")
    return CloudEventMessage(attributes, record.value)


def to_structured(event: CloudEventMessage) -> KafkaRecord:
    """Structured mode: the whole event as a JSON envelope, keyed by ``partitionkey``.

    Data of a JSON ``datacontenttype`` (or none) that parses goes inline as ``data``,
    anything else as ``data_base64``, as the CloudEvents Java SDK that KafkaSink writes
    with does (formats/json-jackson/.../CloudEventSerializer.java).
    """
    # The SDK's to_structured moves ``datacontenttype`` out of the envelope into the
    # content-type header, so the record no longer says application/cloudevents+json,
    # which is how KafkaSource (and record_mode) recognise structured mode.
    envelope: dict[str, object] = dict(event.attributes)
    key = envelope.pop("partitionkey", None)
    if event.data is not None:
        inline = is_json_content_type(event.attributes.get("datacontenttype"))
        if inline:
            try:
                envelope["data"] = json.loads(event.data)
            except ValueError:
                inline = False
        if not inline:
            envelope["data_base64"] = base64.b64encode(event.data).decode("ascii")
    value = json.dumps(envelope).encode()
    return KafkaRecord(str(key).encode() if key else None, value, [("content-type", STRUCTURED.encode())])


def from_structured(record: KafkaRecord) -> CloudEventMessage:
    """The CloudEvent of a structured-mode record; NotACloudEvent if its envelope is unreadable."""
    # The envelope is the JSON event format, the same on every transport, so it is read by
    # the HTTP reader. The SDK's Kafka from_structured would also turn every other header
    # into an attribute and accept an envelope without ``specversion`` or ``id``.
    if record_mode(record) != "structured":
        raise NotACloudEvent("not a CloudEvent: not application/cloudevents+json")
    return from_http({"content-type": record.header_text("content-type") or ""}, record.value or b"")


def to_record(event: Envelope, source: str) -> KafkaRecord:
    """A contract event as the backbone writes it: binary mode, keyed by userId."""
    return to_binary(to_cloudevent(event, source))


def seed_document(record: KafkaRecord) -> bytes:
    """The seed document a record carries: its value, or a structured envelope's data."""
    if record.value is None:
        raise InvalidEvent.single("<document>", "empty record (tombstone)")
    if record_mode(record) != "structured":
        return record.value
    try:
        event = from_structured(record)
    except NotACloudEvent as exc:
        raise InvalidEvent.single("<cloudevent>", f"unreadable structured CloudEvent: {exc}") from exc
    if event.data is None:
        raise InvalidEvent.single("data", "structured CloudEvent carries no data")
    return event.data


def from_record(record: KafkaRecord, topic: Topic) -> Envelope:
    """Decode any of the three record shapes into the topic's contract model."""
    return topic.parse(seed_document(record))
