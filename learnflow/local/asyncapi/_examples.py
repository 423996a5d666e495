"""One example document per eventType, and the records they travel as.

The seed's three documents are here verbatim (with the real UUIDs of ``tests/data/seed``,
which a test keeps equal); the others continue the seed's story: the learner finishes,
asks for help, the seed's submission runs, and concepts answers the seed's verdict.
Every document is validated by its model when the document is built, and its headers are
written by the codec itself, so an example shows exactly what is on the wire.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from learnflow.events import (
    ConfigurationError,
    InvalidEvent,
    KafkaRecord,
    Topic,
    ce_source,
    follow_up_id,
    to_binary,
    to_cloudevent,
)
from learnflow.local.runtime.events import RecordOrigin, error_extensions, wrap_plain_record
from learnflow.local.runtime.policy import Attempt
from learnflow.serverless import poison, transient

LEARNER = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
EXERCISE = "c0ffee00-1234-4abc-8def-0123456789ab"
_SUBMITTED_ID = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e"
_STRUGGLE_ID = "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"


def _document(event_id: str | uuid.UUID, event_type: str, timestamp: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"eventId": str(event_id), "userId": LEARNER, "eventType": event_type, "timestamp": timestamp, "data": data}


SEED_DOCUMENTS: dict[str, dict[str, Any]] = {
    "learning-event.json": _document(
        "3f1c2a9e-8b7d-4c6e-9a5f-1d2e3f4a5b6c",
        "exercise.started",
        "2026-01-27T10:00:00Z",
        {"exerciseId": EXERCISE, "duration": 120, "attempts": 3},
    ),
    "code-submitted.json": _document(
        _SUBMITTED_ID,
        "code.submitted",
        "2026-01-27T10:00:00Z",
        {"exerciseId": EXERCISE, "code": "print('hello')", "language": "python"},
    ),
    "struggle-detected.json": _document(
        _STRUGGLE_ID,
        "struggle.detected",
        "2026-01-27T10:00:00Z",
        {
            "struggleType": "syntax_error",
            "concept": "list_comprehension",
            "confidence": 0.85,
            "suggestedAction": "explain_concept",
        },
    ),
}
"""The seed's example documents, by the name of their file in ``tests/data/seed``."""

_OURS: list[dict[str, Any]] = [
    _document(
        "4a2d3b0f-9c8e-4d7f-8b6a-2e3f4a5b6c7d",
        "exercise.completed",
        "2026-01-27T10:07:00Z",
        {"exerciseId": EXERCISE, "duration": 540, "attempts": 4},
    ),
    _document(
        "6c3e4f5a-0b1c-4e2d-9f3a-4b5c6d7e8f9a",
        "help.requested",
        "2026-01-27T10:04:00Z",
        {"exerciseId": EXERCISE, "duration": 360, "attempts": 3},
    ),
    _document(
        follow_up_id(uuid.UUID(_SUBMITTED_ID), "code-execution"),
        "code.executed",
        "2026-01-27T10:00:01Z",
        {
            "exerciseId": EXERCISE,
            "submissionId": _SUBMITTED_ID,
            "status": "ok",
            "exitCode": 0,
            "stdout": "hello\n",
            "stderr": "",
            "stdoutTruncated": False,
            "stderrTruncated": False,
            "durationMs": 38.2,
            "error": None,
            "constructs": ["print_call"],
            "sandboxLayers": ["wall_deadline", "process_group", "empty_environment", "fresh_workdir", "rlimits", "seccomp"],
            "reason": None,
            "grade": {
                "passed": False,
                "checks": [
                    {
                        "name": "prints hello",
                        "passed": True,
                        "hidden": False,
                        "expected": '"hello\\n"',
                        "got": '"hello\\n"',
                        "error": None,
                    },
                    {"name": "an empty name", "passed": False, "hidden": True, "expected": None, "got": None, "error": None},
                ],
            },
        },
    ),
    _document(
        follow_up_id(uuid.UUID(_STRUGGLE_ID), "concepts"),
        "help.explanation",
        "2026-01-27T10:00:02Z",
        {
            "title": "List comprehensions",
            "body": "A list comprehension builds a new list in one expression: first the value to collect, "
            "then the `for` clause, then an optional `if` clause.\n\n`[expression for item in iterable if condition]`",
            "exampleCode": "numbers = [1, 2, 3, 4, 5, 6]\nprint([n * n for n in numbers if n % 2 == 0])\n",
            "expectedOutput": "[4, 16, 36]\n",
            "concept": "list_comprehension",
            "struggleType": "syntax_error",
            "suggestedAction": "explain_concept",
            "sourceEventId": _STRUGGLE_ID,
            "explainer": "knowledge_base",
        },
    ),
]

DOCUMENTS: dict[str, dict[str, Any]] = {d["eventType"]: d for d in [*SEED_DOCUMENTS.values(), *_OURS]}
"""An example document for every eventType."""


def headers(record: KafkaRecord) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}


def message_example(event_type: str, topic: Topic, producer: str | None) -> dict[str, Any]:
    """A Message Example object: the document, and the headers its producer writes with it."""
    document = DOCUMENTS.get(event_type)
    if document is None:
        raise ConfigurationError(f"no example document for {event_type!r}: add one to {__name__}")
    event = topic.parse(document)  # an example the model refuses fails the build, not a reader
    out: dict[str, Any] = {"name": event_type.replace(".", "-"), "summary": _summary(event_type)}
    if producer is not None:
        out["headers"] = headers(to_binary(to_cloudevent(event, ce_source(producer))))
    out["payload"] = event.to_wire_dict()
    return out


def is_seed(event_type: str) -> bool:
    return any(d["eventType"] == event_type for d in SEED_DOCUMENTS.values())


def _summary(event_type: str) -> str:
    return "The seed's example document." if is_seed(event_type) else "The seed's story, continued."


def dead_letter_examples(
    topic: Topic, event_type: str, producer: str, source: str, namespace: str, destination: str
) -> list[dict[str, Any]]:
    """Two dead letters of ``topic``, built by the local runtime's own code for Knative's behaviour.

    A valid event its function kept failing on (503 until the retries ran out), and a
    record that was no CloudEvent and not a valid document (400 at once).
    """
    document = DOCUMENTS[event_type]
    event = topic.parse(document)
    failed = to_cloudevent(event, ce_source(producer))
    busy = transient(
        "publish_failed", "could not publish the follow-up event: KafkaTimeoutError: Timeout after waiting for 10 secs."
    )
    attempt = Attempt(status=busy.status_code, body=busy.get_data(), headers=dict(busy.headers))
    retried = to_binary(failed.with_extensions(error_extensions(destination, attempt)))

    invalid = {key: value for key, value in document.items() if key != "timestamp"}
    plain = KafkaRecord(event.key, json.dumps(invalid).encode(), [])
    try:
        topic.parse(invalid)
    except InvalidEvent as exc:
        refusal = poison(exc)
    else:
        raise ConfigurationError(f"{topic.name}: a document without a timestamp was accepted; pick another defect")
    attempt = Attempt(status=refusal.status_code, body=refusal.get_data(), headers=dict(refusal.headers))
    origin = RecordOrigin(namespace, source, topic.name, partition=0, offset=42, timestamp_ms=1_769_508_000_000)
    refused = to_binary(wrap_plain_record(plain, origin).with_extensions(error_extensions(destination, attempt)))
    return [
        {
            "name": "retries-exhausted",
            "summary": f"A valid {event_type} its function answered 503 on every attempt.",
            "headers": headers(retried),
            "payload": event.to_wire_dict(),
        },
        {
            "name": "refused-as-invalid",
            "summary": "A record that was no CloudEvent, without a timestamp: refused with 400, not retried.",
            "headers": headers(refused),
            "payload": invalid,
        },
    ]
