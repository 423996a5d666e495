"""Build events for producers: ids and timestamps filled in, follow-up ids derived.

A follow-up event's id is ``uuid5(cause.eventId, producer)``: a retried input yields
the same output id, so a consumer downstream can drop the duplicate.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from learnflow.events._contracts._base import Envelope, now_utc

E = TypeVar("E", bound=Envelope)


def new_event(
    model: type[E],
    *,
    user_id: uuid.UUID | str,
    data: Any,
    event_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
) -> E:
    """A fresh event of ``model`` with a random eventId and the current UTC time."""
    return model.model_validate(
        {
            "eventId": event_id or uuid.uuid4(),
            "userId": user_id,
            "eventType": model.type_name(),
            "timestamp": timestamp or now_utc(),
            "data": data,
        }
    )


def follow_up_id(cause_event_id: uuid.UUID, producer: str) -> uuid.UUID:
    return uuid.uuid5(cause_event_id, producer)


def follow_up(model: type[E], *, cause: Envelope, producer: str, data: Any) -> E:
    """An event caused by ``cause``, for the same learner, with a deterministic id."""
    return new_event(
        model,
        user_id=cause.user_id,
        data=data,
        event_id=follow_up_id(cause.event_id, producer),
    )
