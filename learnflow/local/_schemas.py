"""JSON Schema per topic, generated from the contract models.

The generated files live in ``eventing/schemas/<topic>.schema.json`` so that anything
outside Python (a frontend, a schema registry, a reviewer) can read the contracts;
a test fails when the models and the files drift apart (fix: ``make schemas``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from learnflow.events import TOPICS

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "eventing" / "schemas"


def schema_path(topic: str, root: Path = SCHEMA_DIR) -> Path:
    return root / f"{topic}.schema.json"


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def generate() -> dict[str, str]:
    """The text of every schema file, by topic name."""
    return {name: render(topic.json_schema()) for name, topic in TOPICS.items()}


def write(root: Path = SCHEMA_DIR) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = schema_path(name, root)
        path.write_text(text)
        written.append(path)
    return written


def stale(root: Path = SCHEMA_DIR) -> list[str]:
    """Topics whose checked-in schema differs from what the models generate."""
    out = []
    for name, text in generate().items():
        path = schema_path(name, root)
        if not path.exists() or path.read_text() != text:
            out.append(name)
    return out
