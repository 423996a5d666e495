"""What a function receives over HTTP, decoded to a contract model (DESIGN §2).

Accepted shapes: a binary-mode CloudEvent whose data is the seed document (KafkaSource
passthrough); a structured CloudEvent with ``data`` or ``data_base64`` (Dapr, also with
``rawPayload``); KafkaSource's ``dev.knative.kafka.event`` wrapper around a record that
was not a CloudEvent; and, for the direct HTTP target, the bare seed document.
Only the seed document is validated, never the CloudEvent attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudevents import exceptions as ce_errors
from cloudevents.http import CloudEvent, from_http

from learnflow.events._codec.kafka import ce_attributes
from learnflow.events._contracts import Envelope
from learnflow.events._errors import InvalidEvent
from learnflow.events._topics import Topic
from learnflow.events._validation import load_json

KAFKA_WRAPPER_TYPE = "dev.knative.kafka.event"
# What the cloudevents SDK raises on a body it cannot read, besides its own GenericException:
# bad UTF-8 and bad JSON (ValueError), a JSON array or string as a structured envelope
# (TypeError, AttributeError), nesting too deep for ``json`` (RecursionError).
UNREADABLE_CLOUDEVENT = (ce_errors.GenericException, ValueError, TypeError, AttributeError, RecursionError)


def _as_document(data: Any) -> Any:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return load_json(bytes(data))
    if isinstance(data, str):
        return load_json(data)
    return data


def event_from_cloudevent(event: CloudEvent, topic: Topic) -> Envelope:
    """The seed document a CloudEvent carries, validated for ``topic``.

    KafkaSource's wrapper needs no special case: its data is the record value, which
    is the seed document in every shape this backbone writes.
    """
    data = event.get_data()
    if data is None:
        raise InvalidEvent.single("data", f"CloudEvent {event['type']!r} carries no data")
    return topic.parse(_as_document(data))


def _is_cloudevent(headers: Mapping[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in headers.items()}
    return "ce-specversion" in lowered or lowered.get("content-type", "").lower().startswith("application/cloudevents")


def event_from_request(headers: Mapping[str, str], body: bytes, topic: Topic) -> Envelope:
    """Decode an HTTP request: any CloudEvent shape above, or the bare seed document."""
    if not _is_cloudevent(headers):
        return topic.parse(body)
    try:
        event = from_http(dict(headers), body, data_unmarshaller=lambda d: d)
    except UNREADABLE_CLOUDEVENT as exc:
        raise InvalidEvent.single("<cloudevent>", f"not a valid CloudEvent: {type(exc).__name__}: {exc}") from exc
    return event_from_cloudevent(event, topic)


def to_binary_http(event: Envelope, source: str) -> tuple[dict[str, str], bytes]:
    """Headers and body of a binary-mode HTTP CloudEvent carrying the seed document."""
    headers = {}
    for name, value in ce_attributes(event, source).items():
        headers["content-type" if name == "datacontenttype" else f"ce-{name}"] = value
    return headers, event.to_json_bytes()
