"""What the learner's browser sends, turned into seed events: pure, no HTTP.

``POST .../submissions`` takes ``{exerciseId, code, language}`` and ``POST .../activity``
takes ``{eventType, exerciseId, duration, attempts}``; each becomes a fresh seed event of
that learner (new eventId, the gateway's clock), validated by the same contract a
consumer reads it with. A bad body raises InvalidEvent naming each field as the browser
wrote it (``exerciseId``, not ``data.exerciseId``).
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError

from learnflow.events import (
    CodeSubmitted,
    Envelope,
    ExerciseCompleted,
    ExerciseStarted,
    FieldError,
    HelpRequested,
    InvalidEvent,
    field_errors,
    new_event,
)

ACTIVITY: dict[str, type[Envelope]] = {m.type_name(): m for m in (ExerciseStarted, ExerciseCompleted, HelpRequested)}


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidEvent.single("<body>", f"expected a JSON object, got {type(body).__name__}")
    return body


def _build(model: type[Envelope], user_id: uuid.UUID, data: dict[str, Any]) -> Envelope:
    try:
        return new_event(model, user_id=user_id, data=data)
    except ValidationError as exc:
        raise InvalidEvent([FieldError(e.path.removeprefix("data."), e.reason) for e in field_errors(exc)]) from exc


def submission(user_id: uuid.UUID, body: Any) -> Envelope:
    """The ``code.submitted`` event of a submission body."""
    fields = _object(body)
    data: dict[str, Any] = {k: fields[k] for k in ("exerciseId", "code", "language") if k in fields}
    return _build(CodeSubmitted, user_id, data)


def activity(user_id: uuid.UUID, body: Any) -> Envelope:
    """The ``exercise.started``, ``exercise.completed`` or ``help.requested`` event of an activity body."""
    fields = _object(body)
    kind = fields.get("eventType")
    model = ACTIVITY.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise InvalidEvent.single("eventType", f"must be one of {', '.join(sorted(ACTIVITY))}")
    data: dict[str, Any] = {k: fields[k] for k in ("exerciseId", "duration", "attempts") if k in fields}
    return _build(model, user_id, data)
