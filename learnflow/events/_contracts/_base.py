"""What every LearnFlow event shares: the seed's envelope and its wire conventions.

Attributes are snake_case in Python and camelCase on the wire, exactly as the seed
writes them. Unknown fields are ignored on read (a newer producer may add some) and,
because they are never stored, never emitted on write.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

_RFC3339_WITH_ZONE = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
SNAKE_CASE = r"^[a-z][a-z0-9_]*$"


def _to_utc_z(value: datetime) -> str:
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


Timestamp = Annotated[
    AwareDatetime,
    PlainSerializer(_to_utc_z, return_type=str, when_used="json"),
    # The pattern is for JSON Schema consumers whose validators skip "format".
    Field(json_schema_extra={"pattern": _RFC3339_WITH_ZONE}),
]
"""An RFC 3339 instant with an explicit zone; written back as UTC with a ``Z``."""


class WireModel(BaseModel):
    """Base of every contract model: camelCase on the wire, frozen, extras ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
        extra="ignore",
        frozen=True,
    )

    def to_json_bytes(self) -> bytes:
        """The seed JSON document, UTF-8, as it goes on the wire."""
        return self.model_dump_json(exclude_none=False).encode()

    def to_wire_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Envelope(WireModel):
    """The seed's envelope: ``{eventId, userId, eventType, timestamp, data}``."""

    event_id: uuid.UUID
    user_id: uuid.UUID
    event_type: str
    timestamp: Timestamp

    @classmethod
    def type_name(cls) -> str:
        """The ``eventType`` this model carries (its Literal annotation)."""
        name: str = get_args(cls.model_fields["event_type"].annotation)[0]
        return name

    @property
    def key(self) -> bytes:
        """The Kafka key: the learner, so each learner's events stay in order."""
        return str(self.user_id).encode()


def now_utc() -> datetime:
    return datetime.now(UTC)
