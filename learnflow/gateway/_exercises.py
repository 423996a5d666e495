"""``GET /exercises``: the catalogue as a learner may see it.

Prompts, starters, concepts and checks, but of a hidden check only its name: its
arguments and expected value stay in the backbone (code execution grades with them).
The catalogue is the file ``LEARNFLOW_EXERCISES`` names (``GatewaySettings.exercises``),
as for the functions; the gateway's image holds no default, so without it the list is
empty. It is read at the first request and kept (a changed ConfigMap reaches a new
revision, not a running one).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from pydantic import JsonValue
from starlette.requests import Request
from starlette.responses import Response

from learnflow.events import Catalogue, Check, Concept, Exercise, WireModel, load_catalogue


class PublicCheck(WireModel):
    name: str
    hidden: bool
    stdout: str | None = None
    call: str | None = None
    args: list[JsonValue] | None = None
    returns: JsonValue = None


class PublicExercise(WireModel):
    id: uuid.UUID
    title: str
    prompt: str
    concepts: list[Concept]
    starter: str
    checks: list[PublicCheck]


class PublicCatalogue(WireModel):
    exercises: list[PublicExercise]


def _check(check: Check) -> PublicCheck:
    if check.hidden:
        return PublicCheck(name=check.name, hidden=True)
    return PublicCheck(
        name=check.name, hidden=False, stdout=check.stdout, call=check.call, args=check.args, returns=check.returns
    )


def _exercise(exercise: Exercise) -> PublicExercise:
    return PublicExercise(
        id=exercise.id,
        title=exercise.title,
        prompt=exercise.prompt,
        concepts=exercise.concepts,
        starter=exercise.starter,
        checks=[_check(c) for c in exercise.checks],
    )


def public_catalogue(catalogue: Catalogue | None) -> PublicCatalogue:
    """What the page may show of ``catalogue`` (pure)."""
    return PublicCatalogue(exercises=[_exercise(e) for e in catalogue.exercises] if catalogue else [])


class ExerciseList:
    """The public catalogue, loaded once, at the first request."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._body: bytes | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._body is not None

    def body(self) -> bytes:
        with self._lock:
            if self._body is None:
                self._body = public_catalogue(load_catalogue(self._path) if self._path else None).to_json_bytes()
            return self._body


def exercise_list(path: Path | None = None) -> Callable[[Request, Any], Awaitable[Response]]:
    """The ``GET /exercises`` handler of one app (no token needed: every learner sees the same)."""
    listed = ExerciseList(path)

    async def exercises(request: Request, gw: Any) -> Response:
        # The first request reads the file: off the event loop; later ones answer from memory.
        body = listed.body() if listed.loaded else await anyio.to_thread.run_sync(listed.body)
        return Response(body, media_type="application/json")

    return exercises


__all__ = ["ExerciseList", "PublicCatalogue", "exercise_list", "public_catalogue"]
