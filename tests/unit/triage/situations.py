"""Loading the situations table into events and expectations.

Two kinds of rows. ``situations/*.yaml``: a case names an ``event`` type and the
``data`` that matters; everything else in the seed document (ids, timestamp,
exerciseId, submissionId, an error message) is filled in here, and the result goes
through the real contract validation. ``programs/*.yaml``: a learner's program, how
its run ends (``raises`` an exception class, or a ``status``) and the verdict a tutor
would give (``expect``: struggleType and concept, or null for no struggle); the test
runs each through the real sandbox, so the evidence is what Python itself reported.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from learnflow.events import LEARNING_EVENTS, Envelope

SITUATIONS_DIR = Path(__file__).parent / "situations"
PROGRAMS_DIR = Path(__file__).parent / "programs"
_CASE_KEYS = {"name", "event", "data", "expect", "env"}
_PROGRAM_KEYS = {"name", "code", "raises", "status", "expect"}


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


@dataclass(frozen=True)
class Program:
    file: str
    name: str
    code: str
    ends: frozenset[str]  # the exception class it raises, or the statuses its run may end with
    expect: dict[str, str] | None

    @property
    def id(self) -> str:
        return f"{self.file}: {self.name}"


def load_programs(directory: Path = PROGRAMS_DIR) -> list[Program]:
    programs = []
    for path in sorted(directory.glob("*.yaml")):
        for i, case in enumerate(yaml.safe_load(path.read_text()) or []):
            keys = set(case)
            if keys - _PROGRAM_KEYS or not {"name", "code", "expect"} <= keys or len(keys & {"raises", "status"}) != 1:
                raise ValueError(
                    f"{path.name} case {i}: keys must be name, code, expect and raises or status, got {sorted(keys)}"
                )
            ends = case.get("raises") or case.get("status")
            programs.append(
                Program(
                    path.stem, case["name"], case["code"], frozenset([ends] if isinstance(ends, str) else ends), case["expect"]
                )
            )
    return programs
