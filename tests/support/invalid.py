"""Invalid documents, each with the field its error must name."""

from __future__ import annotations

from typing import Any

from learnflow.events import CODE_SUBMITTED, LEARNING_EVENTS, STRUGGLE_DETECTED, Topic

from .seed import mutated

TEN_MB = 10 * 1024 * 1024

# (case id, topic, document or raw bytes, field path the error must name)
INVALID_CASES: list[tuple[str, Topic, Any, str]] = [
    ("missing-userId", LEARNING_EVENTS, mutated("learning-event.json", "userId", ...), "userId"),
    ("missing-data-field", CODE_SUBMITTED, mutated("code-submitted.json", "data.language", ...), "data.language"),
    ("wrong-event-type", LEARNING_EVENTS, mutated("learning-event.json", "eventType", "exercise.paused"), "eventType"),
    (
        "wrong-struggle-type",
        STRUGGLE_DETECTED,
        mutated("struggle-detected.json", "data.struggleType", "typo"),
        "data.struggleType",
    ),
    ("bad-uuid", CODE_SUBMITTED, mutated("code-submitted.json", "data.exerciseId", "not-a-uuid"), "data.exerciseId"),
    ("timestamp-without-zone", LEARNING_EVENTS, mutated("learning-event.json", "timestamp", "2026-01-27T10:00:00"), "timestamp"),
    ("confidence-1.5", STRUGGLE_DETECTED, mutated("struggle-detected.json", "data.confidence", 1.5), "data.confidence"),
    ("negative-attempts", LEARNING_EVENTS, mutated("learning-event.json", "data.attempts", -1), "data.attempts"),
    ("ten-mb-of-code", CODE_SUBMITTED, mutated("code-submitted.json", "data.code", "x" * TEN_MB), "data.code"),
    ("non-json-bytes", CODE_SUBMITTED, b"\x00\x01 definitely not json", "<document>"),
    (
        "evidence-line-over-200-characters",
        STRUGGLE_DETECTED,
        mutated(
            "struggle-detected.json",
            "data.evidence",
            {"sourceEventType": "code.executed", "status": "error", "line": 1, "lineText": "x" * 201},
        ),
        "data.evidence.lineText",
    ),
    (
        "evidence-from-an-unknown-event-type",
        STRUGGLE_DETECTED,
        mutated("struggle-detected.json", "data.evidence", {"sourceEventType": "exercise.started", "attempts": 1, "duration": 5}),
        "data.evidence.sourceEventType",
    ),
]
