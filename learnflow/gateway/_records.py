"""From a Kafka record to what a learner's stream sends: pure, no client types.

Only the streamed event types survive (``code.executed``, ``help.explanation``); a
binary-mode record's ``ce_type`` header lets every other record be dropped unparsed,
which matters because every replica reads both topics whole. A streamed record is
validated against its topic's contract: a document that breaks it never reaches a page.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from learnflow.events import CodeExecuted, KafkaRecord, get_topic, record_mode, seed_document
from learnflow.gateway._cursor import STREAMED

_TRACE_HEADERS = ("traceparent", "tracestate")


@dataclass(frozen=True)
class StreamEvent:
    topic_index: int  # position of its topic in STREAMED
    partition: int
    offset: int
    timestamp_ms: int
    user_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    data: str  # the seed JSON document, on one line
    submission_id: uuid.UUID | None = None  # a code.executed's submission: it ends that one's time in flight
    trace: tuple[tuple[str, str], ...] = ()  # the record's traceparent/tracestate: the push continues that trace


def stream_event(topic_index: int, partition: int, offset: int, timestamp_ms: int, record: KafkaRecord) -> StreamEvent | None:
    """The event a record carries for a learner's stream, None if it is not streamed.

    Raises InvalidEvent for a record of a streamed type that breaks its contract.
    """
    name, types = STREAMED[topic_index]
    declared = record.header_text("ce_type")
    if declared is not None and record_mode(record) == "binary" and declared not in types:
        return None
    document = seed_document(record)
    event = get_topic(name).parse(document)
    if event.event_type not in types:
        return None
    return StreamEvent(
        topic_index=topic_index,
        partition=partition,
        offset=offset,
        timestamp_ms=timestamp_ms,
        user_id=event.user_id,
        event_id=event.event_id,
        event_type=event.event_type,
        data=_one_line(document),
        submission_id=event.data.submission_id if isinstance(event, CodeExecuted) else None,
        trace=tuple((k, v.decode("latin-1")) for k, v in record.headers if k.lower() in _TRACE_HEADERS),
    )


def _one_line(document: object) -> str:
    """The document as sent on Kafka when it is one line already; else re-written compactly.

    An SSE ``data:`` field ends at a line break, and JSON only has raw ones between
    tokens, so compacting changes no value.
    """
    if isinstance(document, bytes):
        text = document.decode("utf-8")
        if "\n" not in text and "\r" not in text:
            return text
        document = json.loads(text)
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)
