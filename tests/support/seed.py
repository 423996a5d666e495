"""The seed's three example documents (with real UUIDs) and their topics."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from learnflow.events import CODE_SUBMITTED, LEARNING_EVENTS, STRUGGLE_DETECTED, Topic

SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "seed"

SEED_TOPICS: dict[str, Topic] = {
    "learning-event.json": LEARNING_EVENTS,
    "code-submitted.json": CODE_SUBMITTED,
    "struggle-detected.json": STRUGGLE_DETECTED,
}


def seed_document(name: str) -> dict[str, Any]:
    return json.loads((SEED_DIR / name).read_text())


def mutated(name: str, path: str, value: Any) -> dict[str, Any]:
    """A seed document with the dotted ``path`` set to ``value`` (or removed if value is ...)."""
    doc = copy.deepcopy(seed_document(name))
    *parents, leaf = path.split(".")
    node = doc
    for p in parents:
        node = node[p]
    if value is ...:
        del node[leaf]
    else:
        node[leaf] = value
    return doc
