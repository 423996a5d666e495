"""Triage thresholds, read from the environment once, at first use (not at import)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Self

from pydantic import Field, PrivateAttr, model_validator

from functions._exercises import DEFAULT_CATALOGUE, EXERCISES_VARIABLE
from learnflow.events import Catalogue, load_catalogue
from learnflow.serverless import EnvSettings, load_settings


class TriageSettings(EnvSettings):
    """Thresholds of the triage rules; the defaults are documented in docs/triage.md."""

    attempts_threshold: int = Field(3, ge=2, le=100, validation_alias="LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD")
    """Attempts at which a completed exercise counts as won only after repeated failures."""

    long_duration_s: int = Field(600, ge=1, validation_alias="LEARNFLOW_TRIAGE_LONG_DURATION_S")
    """Seconds after which time spent on one exercise is evidence by itself."""

    break_after_s: int = Field(1800, ge=1, validation_alias="LEARNFLOW_TRIAGE_BREAK_AFTER_S")
    """Seconds of effort after which the suggested action becomes ``suggest_break``."""

    exercises: Path = Field(DEFAULT_CATALOGUE, validation_alias=EXERCISES_VARIABLE)
    """The exercise catalogue (YAML): a wrong answer's struggle is about its exercise's concepts."""

    _catalogue: Catalogue | None = PrivateAttr(None)

    def catalogue(self) -> Catalogue:
        """The exercises, read once; CatalogueError names the file, exercise and field."""
        if self._catalogue is None:
            self._catalogue = load_catalogue(self.exercises)
        return self._catalogue

    @model_validator(mode="after")
    def _break_after_long(self) -> Self:
        if self.break_after_s < self.long_duration_s:
            raise ValueError(
                f"LEARNFLOW_TRIAGE_BREAK_AFTER_S ({self.break_after_s}) must be at least "
                f"LEARNFLOW_TRIAGE_LONG_DURATION_S ({self.long_duration_s})"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> TriageSettings:
    """The process's settings; a bad value raises ConfigurationError naming the variable."""
    return load_settings(TriageSettings)
