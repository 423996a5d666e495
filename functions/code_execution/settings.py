"""The function's configuration, from the environment (defaults and reasons: ``limits.py``).

| variable | default | meaning |
|---|---|---|
| SANDBOX_CPU_SECONDS | 3 | CPU seconds per run (RLIMIT_CPU) |
| SANDBOX_WALL_SECONDS | 5 | wall-clock deadline per run, enforced by the zygote |
| SANDBOX_MEMORY_MB | 512 | address space per run (RLIMIT_AS) |
| SANDBOX_FILE_SIZE_KB | 1024 | largest file a run may write (RLIMIT_FSIZE) |
| SANDBOX_OPEN_FILES | 64 | open descriptors per run (RLIMIT_NOFILE) |
| SANDBOX_OUTPUT_BYTES | 65536 | stdout and stderr cap, each; past it the run is stopped |
| SANDBOX_CODE_BYTES | 65536 | largest submission (UTF-8); larger ones are ``rejected`` |
| SANDBOX_POOL_SIZE | CPU count | zygotes, i.e. runs in flight; match Knative containerConcurrency |
| SANDBOX_MIN_LEVEL | L0 | refuse to run below this level (L0, L1 seccomp, L2 + Landlock); the image sets L2 |
| SANDBOX_TMPDIR | system temp | where the per-run work dirs are made |
| LEARNFLOW_EXERCISES | the shipped catalogue | the exercise catalogue (YAML) that submissions are graded against |
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from functions._exercises import DEFAULT_CATALOGUE, EXERCISES_VARIABLE
from learnflow.events import MAX_CODE_BYTES, Catalogue, load_catalogue
from learnflow.serverless import EnvSettings, load_settings

from .layers import Level
from .limits import KIB, MIB, Limits


class SandboxSettings(EnvSettings):
    cpu_seconds: int = Field(3, ge=1, le=60, validation_alias="SANDBOX_CPU_SECONDS")
    wall_seconds: float = Field(5.0, gt=0, le=120, validation_alias="SANDBOX_WALL_SECONDS")
    memory_mb: int = Field(512, ge=64, le=16384, validation_alias="SANDBOX_MEMORY_MB")
    file_size_kb: int = Field(1024, ge=1, validation_alias="SANDBOX_FILE_SIZE_KB")
    open_files: int = Field(64, ge=16, le=4096, validation_alias="SANDBOX_OPEN_FILES")
    output_bytes: int = Field(64 * KIB, ge=1, le=1 * MIB, validation_alias="SANDBOX_OUTPUT_BYTES")
    code_bytes: int = Field(MAX_CODE_BYTES, ge=1, le=4 * MAX_CODE_BYTES, validation_alias="SANDBOX_CODE_BYTES")
    pool_size: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=256, validation_alias="SANDBOX_POOL_SIZE")
    min_level: Level = Field(Level.L0, validation_alias="SANDBOX_MIN_LEVEL")
    tmpdir: str | None = Field(None, validation_alias="SANDBOX_TMPDIR")
    exercises: Path = Field(DEFAULT_CATALOGUE, validation_alias=EXERCISES_VARIABLE)

    @field_validator("min_level", mode="before")
    @classmethod
    def _parse_level(cls, value: Any) -> Level:
        return value if isinstance(value, Level) else Level.parse(value)

    def catalogue(self) -> Catalogue:
        """The exercises to grade against; CatalogueError names the file, exercise and field."""
        return load_catalogue(self.exercises)

    def limits(self) -> Limits:
        return Limits(
            cpu_seconds=self.cpu_seconds,
            wall_seconds=self.wall_seconds,
            memory_bytes=self.memory_mb * MIB,
            file_size_bytes=self.file_size_kb * KIB,
            open_files=self.open_files,
            output_bytes=self.output_bytes,
            code_bytes=self.code_bytes,
        )


def sandbox_settings(**overrides: Any) -> SandboxSettings:
    return load_settings(SandboxSettings, **overrides)
