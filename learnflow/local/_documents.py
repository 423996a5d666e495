"""Seed documents read from a file: one per line, or a JSON array; each checked alone.

Reading never stops at the first bad document: each one is either an event ready to
publish or an error that names its line (or array index) and field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from learnflow.events import Envelope, InvalidEvent, Topic, UnknownTopic, load_json, topic_for_event_type


@dataclass(frozen=True)
class Parsed:
    where: str  # "line 3" or "item 2"
    event: Envelope | None = None
    topic: Topic | None = None
    error: str | None = None


def _one(where: str, document: object) -> Parsed:
    if not isinstance(document, dict):
        return Parsed(where, error=f"expected a JSON object, got {type(document).__name__}")
    event_type = document.get("eventType")
    if not isinstance(event_type, str):
        return Parsed(where, error="eventType: missing, so the topic is unknown")
    try:
        topic = topic_for_event_type(event_type)
        return Parsed(where, topic.parse(document), topic)
    except UnknownTopic as exc:
        return Parsed(where, error=f"eventType: {exc}")
    except InvalidEvent as exc:
        return Parsed(where, error=exc.reason)


def parse_documents(text: str) -> list[Parsed]:
    """Every document in ``text``, as an event with its topic or as an error."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = load_json(stripped)
        except InvalidEvent as exc:
            return [Parsed("file", error=exc.reason)]
        return [_one(f"item {i}", item) for i, item in enumerate(items, start=1)]
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            document = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(Parsed(f"line {number}", error=f"not JSON ({exc.msg} at column {exc.colno})"))
            continue
        out.append(_one(f"line {number}", document))
    return out
