"""Exercises as data: the catalogue's model, and its loader from a YAML file.

A platform team brings its own curriculum as a YAML file of exercises; every service
that needs it (code execution grades with it) reads the same file, validated here.
A check is either ``stdout`` (the program's whole output) or ``call`` (run the
program, then call one of its functions with ``args`` and compare what it returns
with ``returns``). Expected values are compared outside the sandbox, so they are
data of the catalogue only: a check's ``call`` and ``args`` are all that may enter a run.

Unknown fields are refused (unlike the event contracts): a misspelt ``return:``
must stop the catalogue from loading, not silently make a check expect nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator

from learnflow.events._concepts import Concept
from learnflow.events._errors import ConfigurationError

_IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"


class CatalogueError(ConfigurationError):
    """A catalogue file that cannot be read or does not validate; names the file, exercise and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Check(_Strict):
    """One thing a right answer does: prints ``stdout``, or ``call(*args)`` returns ``returns``."""

    name: str = Field(min_length=1, max_length=200)
    stdout: str | None = Field(
        default=None, description="The whole output; trailing spaces on each line and final newlines are ignored."
    )
    call: str | None = Field(default=None, pattern=_IDENTIFIER, description="A function the program defines.")
    args: list[JsonValue] = Field(default_factory=list, description="Positional arguments, JSON values.")
    returns: JsonValue = Field(default=None, description="The expected return value, compared as a JSON value.")
    hidden: bool = Field(default=False, description="Its values are never shown to the learner.")

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.stdout is None) == (self.call is None):
            raise ValueError("a check has either stdout or call, not both and not neither")
        if self.call is not None and "returns" not in self.model_fields_set:
            raise ValueError("a call check needs returns (write returns: null to expect None)")
        if self.stdout is not None and ({"args", "returns"} & self.model_fields_set):
            raise ValueError("args and returns belong to call checks")
        return self


class Exercise(_Strict):
    id: uuid.UUID = Field(description="The exerciseId that submissions and activity events carry.")
    title: str = Field(min_length=1, max_length=120)
    prompt: str = Field(min_length=1, max_length=4000)
    concepts: list[Concept] = Field(min_length=1, description="Ids of the published concept list, most central first.")
    starter: str = Field(default="", max_length=8000)
    checks: list[Check] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_check_names(self) -> Self:
        names = [c.name for c in self.checks]
        if len(set(names)) != len(names):
            raise ValueError(f"check names repeat: {sorted({n for n in names if names.count(n) > 1})}")
        return self


class Catalogue(_Strict):
    exercises: list[Exercise] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[uuid.UUID] = set()
        for exercise in self.exercises:
            if exercise.id in seen:
                raise ValueError(f"exercise id {exercise.id} appears twice")
            seen.add(exercise.id)
        return self

    def get(self, exercise_id: uuid.UUID) -> Exercise | None:
        """The exercise of that id, or None: a submission to it is not graded."""
        return next((e for e in self.exercises if e.id == exercise_id), None)


def _where(raw: Any, loc: tuple[int | str, ...]) -> str:
    """``exercise 2 (6f1c..., 'Sum of evens'): checks.1.returns`` for an error at ``loc``."""
    if len(loc) >= 2 and loc[0] == "exercises" and isinstance(loc[1], int):
        index = loc[1]
        label = f"exercise {index + 1}"
        try:
            item = raw["exercises"][index]
            if isinstance(item, dict):
                label += f" ({item.get('id', 'no id')}, {item.get('title', 'no title')!r})"
        except (KeyError, IndexError, TypeError):
            pass
        rest = ".".join(str(p) for p in loc[2:])
        return f"{label}: {rest or '(the exercise)'}"
    return ".".join(str(p) for p in loc) or "(the catalogue)"


def parse_catalogue(text: str, source: str) -> Catalogue:
    """Validate a catalogue's YAML text; ``source`` names it in the error."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{source}: not YAML: {exc}") from exc
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{_where(raw, tuple(e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise CatalogueError(f"{source}: invalid exercise catalogue: " + "; ".join(problems)) from exc


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate the catalogue file at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the exercise catalogue: {exc.strerror or exc}") from exc
    return parse_catalogue(text, str(path))


__all__ = ["Catalogue", "CatalogueError", "Check", "Exercise", "load_catalogue", "parse_catalogue"]
