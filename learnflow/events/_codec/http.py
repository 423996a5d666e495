"""CloudEvents over HTTP (DESIGN §2): binary mode out, every mode in.

Out, an event is binary mode: ``ce-*`` headers, ``content-type`` for ``datacontenttype``
and the data as the body, which is how KafkaSource delivers and how the direct target
answers. In, ``from_http`` reads binary and structured mode (``data`` or
``data_base64``) as Knative's KafkaSink reads them. For functions, ``event_from_request`` also takes the bare seed document
(the direct HTTP target) and, like ``event_from_cloudevent`` for the event
functions-framework parsed, validates the data for a topic. Only the seed document is
validated, never the CloudEvent attributes; KafkaSource's ``dev.knative.kafka.event``
wrapper needs no special case, since its data is the record value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from cloudevents import exceptions as ce_errors
from cloudevents import http as ce_http

from learnflow.events._codec.cloudevent import JSON, CloudEventMessage, invalid_attribute_names, is_json_content_type
from learnflow.events._contracts._base import Envelope
from learnflow.events._errors import InvalidEvent, NotACloudEvent
from learnflow.events._topics import Topic
from learnflow.events._validation import load_json

# What the cloudevents SDK raises on a body it cannot read, besides its own GenericException:
# bad UTF-8 and bad JSON (ValueError), a JSON array or string as a structured envelope
# (TypeError, AttributeError), nesting too deep for ``json`` (RecursionError).
_UNREADABLE = (ce_errors.GenericException, ValueError, TypeError, AttributeError, RecursionError)

# What every HTTP stack carries in a header value as it is: printable ASCII and space.
_HEADER_UNSAFE = re.compile(r"[^\x20-\x7e]")
# CloudEvents HTTP binding 3.1.3.2: in a ce-* header, bytes outside printable ASCII, space,
# '"' and '%' are percent-encoded (UTF-8). Content-Type is a plain HTTP header: only what
# HTTP cannot carry is encoded there.
_CE_HEADER_UNSAFE = re.compile(r'[^\x21-\x7e]|["%]')
_MAX_HEADER = 512
_EVENT_FORMAT = "application/cloudevents"  # structured mode, in JSON (+json) or any other event format
_REQUIRED_HEADERS = ("ce-id", "ce-source", "ce-type")  # ce-specversion, the fourth, decides the mode
_STRING_ATTRIBUTES = ("specversion", "id", "source", "type", "datacontenttype", "dataschema", "subject", "time")


def header_safe(text: str, limit: int = _MAX_HEADER) -> str:
    """Printable ASCII on one line, cut to ``limit``: a human-readable reason any HTTP stack carries."""
    cleaned = _HEADER_UNSAFE.sub("?", text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."


def _percent_encode(value: str, unsafe: re.Pattern[str]) -> str:
    return unsafe.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "replace")), value)


def to_binary_http(event: CloudEventMessage) -> tuple[dict[str, str], bytes]:
    """Binary-mode HTTP: ``ce-*`` headers (values percent-encoded as the binding says), data as the body."""
    # Not cloudevents.http.to_binary: it takes the SDK's CloudEvent, which invents ``id`` and
    # ``time`` when they are absent and refuses an event without ``source`` or ``type``, where a
    # pass-through sends what it was given; and it writes header values as they are, so a value
    # that is not Latin-1 (fuzzing found one in a ce_* Kafka header) could not be sent at all.
    headers = {}
    for name, value in event.attributes.items():
        if name == "datacontenttype":
            headers["content-type"] = _percent_encode(value, _HEADER_UNSAFE)
        else:
            headers[f"ce-{name}"] = _percent_encode(value, _CE_HEADER_UNSAFE)
    return headers, event.data or b""


def _sdk_event(headers: Mapping[str, str], body: bytes) -> ce_http.CloudEvent:
    # The SDK's reader fits: it tells the modes apart and checks the required attributes.
    # The identity unmarshaller leaves binary data as the body bytes, inline structured data
    # as its JSON text and ``data_base64`` as the decoded bytes.
    return ce_http.from_http(dict(headers), body, data_unmarshaller=lambda d: d)


def _mode(lowered: Mapping[str, str]) -> str:
    """``structured`` or ``binary``, told apart as the HTTP binding says; NotACloudEvent if neither.

    An event format's content type is structured mode, whatever else the request carries;
    otherwise a ``ce-specversion`` header makes it binary mode. This is the order in which
    Knative's receiver tells them apart (cloudevents/sdk-java
    core/.../message/impl/MessageUtils.java, parseStructuredOrBinaryMessage).
    """
    if lowered.get("content-type", "").lower().startswith(_EVENT_FORMAT):
        return "structured"
    if "ce-specversion" in lowered:
        return "binary"
    raise NotACloudEvent("not a CloudEvent: no ce-specversion header, and the content-type is not application/cloudevents+json")


def _attribute_text(value: object) -> str:
    # A structured envelope may carry an extension as a JSON boolean; Java writes it as "true".
    return str(value).lower() if isinstance(value, bool) else str(value)


def from_http(headers: Mapping[str, str], body: bytes) -> CloudEventMessage:
    """Read a binary or structured HTTP CloudEvent as Knative's KafkaSink reads it; NotACloudEvent if it is neither."""
    lowered = {k.lower(): v for k, v in headers.items()}
    mode = _mode(lowered)
    envelope = _envelope(body) if mode == "structured" else None
    if mode == "binary" and (missing := [h for h in _REQUIRED_HEADERS if h not in lowered]):
        # Without this check the SDK takes the request for structured mode and reports a missing specversion.
        raise NotACloudEvent(f"not a CloudEvent: binary mode without {', '.join(missing)}")
    try:
        event = _sdk_event(lowered, body)
    except _UNREADABLE as exc:
        raise NotACloudEvent(f"not a CloudEvent: {type(exc).__name__}: {exc}") from exc
    attributes = {name: _attribute_text(value) for name, value in event.get_attributes().items() if value is not None}
    if bad := invalid_attribute_names(attributes):
        raise NotACloudEvent(f"not a CloudEvent: invalid attribute names {bad!r} (lower-case letters and digits only)")
    carries_time = "time" in envelope if envelope is not None else "ce-time" in lowered
    if not carries_time:
        attributes.pop("time", None)  # the SDK invents one; a pass-through must not
    if envelope is None:
        data = event.get_data()
        return CloudEventMessage(attributes, data.encode() if isinstance(data, str) else data)
    return CloudEventMessage(attributes, _structured_data(envelope, attributes, event.get_data()))


def _envelope(body: bytes) -> dict[str, Any]:
    """A structured-mode body: a JSON object, or NotACloudEvent."""
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deep
        raise NotACloudEvent(f"not a CloudEvent: structured mode, but the body is not JSON: {exc}") from exc
    if not isinstance(envelope, dict):
        raise NotACloudEvent(
            f"not a CloudEvent: structured mode, but the body is a JSON {type(envelope).__name__}, not an object"
        )
    # The Java SDK takes the spec's attributes as JSON strings only (extensions may be numbers or booleans).
    if wrong := [n for n in _STRING_ATTRIBUTES if envelope.get(n) is not None and not isinstance(envelope[n], str)]:
        raise NotACloudEvent(f"not a CloudEvent: attributes {wrong!r} must be JSON strings")
    return envelope


def _structured_data(envelope: Mapping[str, Any], attributes: dict[str, str], read: object) -> bytes | None:
    """The data of a structured event as KafkaSink writes it (the bytes of a binary-mode record).

    Knative's receiver reads the envelope with the CloudEvents Java SDK
    (cloudevents/sdk-java formats/json-jackson/.../CloudEventDeserializer.java, v4.0.1 as
    eventing-kafka-broker pins it): inline ``data`` without a ``datacontenttype`` is JSON and
    the event gets ``application/json``; inline data of a JSON type is its JSON text; of any
    other type (text/plain, XML) it must be a JSON string, and the data is that string's text.
    ``read`` is what the Python SDK made of it: the JSON text, or ``data_base64`` decoded.
    """
    if "data" in envelope and "data_base64" in envelope:
        raise NotACloudEvent("not a CloudEvent: both data and data_base64")
    if envelope.get("data") is None:  # data_base64 (decoded by the SDK), or no data at all
        return read if isinstance(read, bytes) else None
    content_type = attributes.setdefault("datacontenttype", JSON)
    if is_json_content_type(content_type):
        return read.encode() if isinstance(read, str) else json.dumps(envelope["data"]).encode()
    if not isinstance(envelope["data"], str):
        raise NotACloudEvent(
            f"not a CloudEvent: datacontenttype {content_type!r} is not JSON, so inline data must be a JSON string"
        )
    return envelope["data"].encode()


def _as_document(data: Any) -> Any:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return load_json(bytes(data))
    if isinstance(data, str):
        return load_json(data)
    return data


def event_from_cloudevent(event: ce_http.CloudEvent, topic: Topic) -> Envelope:
    """The seed document an SDK CloudEvent (as functions-framework hands it over) carries, validated for ``topic``."""
    data = event.get_data()
    if data is None:
        raise InvalidEvent.single("data", f"CloudEvent {event['type']!r} carries no data")
    return topic.parse(_as_document(data))


def _is_cloudevent(headers: Mapping[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in headers.items()}
    return "ce-specversion" in lowered or lowered.get("content-type", "").lower().startswith(_EVENT_FORMAT)


def event_from_request(headers: Mapping[str, str], body: bytes, topic: Topic) -> Envelope:
    """Decode an HTTP request for ``topic``: any CloudEvent shape above, or the bare seed document."""
    if not _is_cloudevent(headers):
        return topic.parse(body)
    try:
        event = _sdk_event(headers, body)
    except _UNREADABLE as exc:
        raise InvalidEvent.single("<cloudevent>", f"not a valid CloudEvent: {type(exc).__name__}: {exc}") from exc
    return event_from_cloudevent(event, topic)
