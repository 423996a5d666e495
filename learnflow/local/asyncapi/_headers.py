"""What travels beside the value: the key, and the headers as message traits.

Records are CloudEvents in the Kafka binding's binary mode (DESIGN §2): the seed document
is the value, the attributes are ``ce_*`` headers, and W3C ``traceparent`` names the trace. A dead letter keeps the original
record's key, value and headers, and Knative adds its error extensions, the same way.
Header values are text (UTF-8 bytes on the wire), so every header schema is a string.
"""

from __future__ import annotations

from typing import Any

from learnflow.events import JSON, SPECVERSION
from learnflow.local._dead_letters import DEFAULT_MAX_REPLAYS, REPLAY_HEADER
from learnflow.local.runtime.events import ERROR_DATA_LIMIT
from learnflow.serverless import REASON_HEADER

BINDING_VERSION = "0.5.0"
"""The Kafka bindings' version: the latest, and the one @asyncapi/parser 3.6 checks against."""

CLOUDEVENTS_TRAIT = "cloudEventsBinary"
DEAD_LETTER_TRAIT = "knativeDeadLetter"
KEY_BINDINGS = "keyedByUser"

# The attributes every CloudEvent has; LearnFlow's producers also always write ce_time,
# ce_partitionkey and content-type, but a record from elsewhere may omit them.
_REQUIRED = ["ce_specversion", "ce_id", "ce_source", "ce_type"]
# Knative turns a ``kne-<name>`` response header into the extension ``<name>``.
_REASON = "ce_" + REASON_HEADER.removeprefix("kne-")


def _text(description: str, **schema: Any) -> dict[str, Any]:
    return {"type": "string", **schema, "description": description}


def key_bindings() -> dict[str, Any]:
    """The Kafka message binding every message shares: keyed by the learner."""
    key = _text("userId, so that one learner's events share a partition and stay in order.", format="uuid")
    return {"kafka": {"key": key, "bindingVersion": BINDING_VERSION}}


def cloudevents_trait() -> dict[str, Any]:
    """CloudEvents' Kafka binding, binary mode, as every producer of the backbone writes it."""
    return {
        "summary": "A CloudEvent in the Kafka binding's binary mode: attributes as ce_ headers, the document as the value.",
        "description": (
            "A record without ce_specversion is no CloudEvent: consumers then read its value as the seed "
            "document itself, so any client that writes the seed's JSON interoperates."
        ),
        "headers": {
            "type": "object",
            "required": list(_REQUIRED),
            "properties": {
                "ce_specversion": _text("The CloudEvents version.", const=SPECVERSION),
                "ce_id": _text("The document's eventId (a UUID)."),
                "ce_source": _text("Who wrote it: /learnflow/<producer>, e.g. /learnflow/triage.", format="uri-reference"),
                "ce_type": _text("The document's eventType."),
                "ce_time": _text("The document's timestamp.", format="date-time"),
                "ce_partitionkey": _text("The document's userId, which is also the record's key."),
                "content-type": _text(f"{JSON}: the value is the seed JSON document, UTF-8."),
                "traceparent": _text(
                    "W3C trace context of the span that wrote the record (its send span), as Knative's KafkaSink "
                    "writes it: every record the backbone writes carries one (docs/observability.md, Tracing).",
                    pattern="^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
                ),
                "tracestate": _text("W3C trace state, beside traceparent when the trace has vendor entries."),
                REPLAY_HEADER: _text(
                    "How many times `learnflow dlq replay` wrote this event back from its dead-letter topic; "
                    f"a replay refuses an event replayed {DEFAULT_MAX_REPLAYS} times already.",
                    pattern="^[0-9]+$",
                ),
            },
            "additionalProperties": _text("Any other CloudEvents extension, as ce_<name>."),
        },
    }


def dead_letter_trait() -> dict[str, Any]:
    """Knative's dead-letter extensions; applied after :func:`cloudevents_trait`, whose ``required`` it replaces."""
    return {
        "summary": "A record its KafkaSource could not deliver, with Knative's error extensions.",
        "description": (
            "The original record's key, value and CloudEvent attributes, plus the error extensions of the last "
            "attempt. A record that was no CloudEvent arrives as KafkaSource wrapped it: ce_type "
            "dev.knative.kafka.event, ce_id partition:<p>/offset:<o>, ce_key, and each original header h as "
            "ce_kafkaheader<h>."
        ),
        "headers": {
            "type": "object",
            "required": [*_REQUIRED, "ce_knativeerrordest"],
            "properties": {
                "ce_id": _text("The original eventId, or partition:<p>/offset:<o> for a record that was no CloudEvent."),
                "ce_type": _text("The original eventType, or dev.knative.kafka.event for a record that was no CloudEvent."),
                "ce_knativeerrordest": _text("The URL the last delivery attempt was sent to.", format="uri"),
                "ce_knativeerrorcode": _text(
                    "The HTTP status of the last attempt; absent when there was no response (timeout, refused connection).",
                    pattern="^[1-5][0-9][0-9]$",
                ),
                "ce_knativeerrordata": _text(
                    f"The last response's body, cut at {ERROR_DATA_LIMIT} bytes, base64.", contentEncoding="base64"
                ),
                _REASON: _text(
                    f"Why the function refused it: its {REASON_HEADER} response header. Knative turns every kne-<name> "
                    "response header into the extension <name>."
                ),
            },
        },
    }
