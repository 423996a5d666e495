"""Loading the situations table (``situations/*.yaml``) into events and expectations.

A case names an ``event`` type and the ``data`` that matters; everything else in the
seed document (ids, timestamp, exerciseId, submissionId, an error message) is filled
in here, and the result goes through the real contract validation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from learnflow.events import LEARNING_EVENTS, Envelope

SITUATIONS_DIR = Path(__file__).parent / "situations"
_CASE_KEYS = {"name", "event", "data", "expect", "env"}


@dataclass(frozen=True)
class Situation:
    file: str
    name: str
    event_type: str
    data: dict[str, Any]
    expect: dict[str, Any] | None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.file}: {self.name}"

    def document(self) -> dict[str, Any]:
        data = dict(self.data)
        data.setdefault("exerciseId", str(uuid.uuid4()))
        if self.event_type == "code.executed":
            data.setdefault("submissionId", str(uuid.uuid4()))
            if isinstance(data.get("error"), dict):
                data["error"] = {"message": "", **data["error"]}
        return {
            "eventId": str(uuid.uuid4()),
            "userId": str(uuid.uuid4()),
            "eventType": self.event_type,
            "timestamp": "2026-01-27T10:00:00Z",
            "data": data,
        }

    def event(self) -> Envelope:
        return LEARNING_EVENTS.parse(self.document())


def load_situations(directory: Path = SITUATIONS_DIR) -> list[Situation]:
    situations = []
    for path in sorted(directory.glob("*.yaml")):
        for i, case in enumerate(yaml.safe_load(path.read_text()) or []):
            unknown = set(case) - _CASE_KEYS
            if unknown or not {"name", "event", "data", "expect"} <= set(case):
                raise ValueError(f"{path.name} case {i}: keys must be {sorted(_CASE_KEYS)}, got {sorted(case)}")
            situations.append(
                Situation(path.stem, case["name"], case["event"], case["data"], case["expect"], case.get("env", {}))
            )
    return situations
