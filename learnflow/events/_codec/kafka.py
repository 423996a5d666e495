"""The Kafka wire format (DESIGN §2): pure functions over a neutral record value.

On write, a record is the CloudEvents Kafka binding in binary mode: the value is the
seed JSON document itself, the key the userId, the attributes ``ce_*`` headers. On
read, three shapes are accepted: binary mode, structured mode
(``application/cloudevents+json``, data inline or as ``data_base64``) and a bare seed
document written by a client that knows nothing of CloudEvents.

No Kafka client is touched here: callers map their client's record to KafkaRecord.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from cloudevents import exceptions as ce_errors
from cloudevents.kafka import KafkaMessage, from_structured

from learnflow.events._contracts import Envelope
from learnflow.events._errors import InvalidEvent
from learnflow.events._topics import Topic

SPECVERSION = "1.0"
JSON = "application/json"
STRUCTURED = "application/cloudevents+json"


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


def source_for(producer: str) -> str:
    """The CloudEvents ``source`` of everything a producer writes."""
    return f"/learnflow/{producer}"


def ce_attributes(event: Envelope, source: str) -> dict[str, str]:
    """The CloudEvent attributes of a seed event (shared by the Kafka and HTTP codecs)."""
    return {
        "specversion": SPECVERSION,
        "id": str(event.event_id),
        "type": event.event_type,
        "source": source,
        "time": event.to_wire_dict()["timestamp"],
        "datacontenttype": JSON,
        "partitionkey": str(event.user_id),
    }


def to_record(event: Envelope, source: str) -> KafkaRecord:
    """Encode an event as a binary-mode CloudEvents Kafka record keyed by userId."""
    headers = []
    for name, value in ce_attributes(event, source).items():
        header = "content-type" if name == "datacontenttype" else f"ce_{name}"
        headers.append((header, value.encode()))
    return KafkaRecord(event.key, event.to_json_bytes(), headers)


def record_mode(record: KafkaRecord) -> str:
    """``structured``, ``binary`` or ``plain``: which of the three shapes a record has."""
    content_type = (record.header_text("content-type") or "").lower()
    if content_type.startswith(STRUCTURED):
        return "structured"
    if record.header("ce_specversion") is not None:
        return "binary"
    return "plain"


def seed_document(record: KafkaRecord) -> Any:
    """The seed document a record carries: raw JSON bytes, or parsed data in structured mode."""
    if record.value is None:
        raise InvalidEvent.single("<document>", "empty record (tombstone)")
    if record_mode(record) != "structured":
        return record.value
    try:
        event = from_structured(
            KafkaMessage(dict(record.headers), record.key, record.value),
            data_unmarshaller=lambda d: d,
        )
    except ce_errors.GenericException as exc:
        raise InvalidEvent.single("<cloudevent>", f"unreadable structured CloudEvent: {exc}") from exc
    data = event.get_data()
    if data is None:
        raise InvalidEvent.single("data", "structured CloudEvent carries no data")
    return data


def from_record(record: KafkaRecord, topic: Topic) -> Envelope:
    """Decode any accepted record shape into the topic's contract model."""
    return topic.parse(seed_document(record))
