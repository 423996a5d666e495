"""The curated knowledge base: YAML files shipped with the function, validated at load.

One file per concept (``knowledge/<concept>.yaml``), plus ``_general.yaml`` (the
explanation for a concept nobody wrote an entry for), ``_actions.yaml`` (how an
explanation is laid out for each suggestedAction) and ``_diagnoses.yaml`` (what each
of triage's diagnoses means on the learner's line, and one next step). Loading is the only I/O here; a
malformed file raises KnowledgeBaseError naming the file and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from learnflow.events import ConfigurationError, StruggleType, SuggestedAction, field_errors, is_known_concept

KNOWLEDGE_DIR = Path(__file__).parent / "knowledge"
GENERAL_FILE = "_general.yaml"
ACTIONS_FILE = "_actions.yaml"
DIAGNOSES_FILE = "_diagnoses.yaml"


class KnowledgeBaseError(ConfigurationError):
    """A knowledge-base file that cannot be used; the message names file and field."""


class _Strict(BaseModel):
    # A misspelt field in a hand-written file must fail, not silently vanish.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(_Strict):
    code: str = Field(min_length=1)
    output: str = Field(description="Exactly what the code prints; the tests run it.")


class StruggleVariants(_Strict):
    """The opening of an explanation, worded for each kind of struggle."""

    syntax_error: str = Field(min_length=1)
    logic_error: str = Field(min_length=1)
    concept_confusion: str = Field(min_length=1)

    def for_type(self, struggle_type: StruggleType) -> str:
        return str(getattr(self, struggle_type.value))


class Entry(_Strict):
    """Everything the knowledge base knows about one concept."""

    concept: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1)
    syntax: str = Field(min_length=1, description="The general shape of the construct.")
    common_mistakes: list[str] = Field(min_length=2)
    example: Example
    hint: str = Field(min_length=1)
    variants: StruggleVariants


class Template(_Strict):
    """The explanation of one diagnosis; ``{fields}`` are its facts (see ``_diagnoses.yaml``)."""

    meaning: str = Field(min_length=1)
    next_step: str = Field(min_length=1)
    ended: str | None = Field(default=None, description="How a run stopped by a limit ended.")


class Section(StrEnum):
    VARIANT = "variant"
    SUMMARY = "summary"
    SYNTAX = "syntax"
    MISTAKES = "mistakes"
    EXAMPLE = "example"
    HINT = "hint"


class ActionLayout(_Strict):
    """How an explanation reads for one suggestedAction."""

    title: str = Field(pattern=r"\{title\}")
    lead: str = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)


@dataclass(frozen=True)
class KnowledgeBase:
    entries: Mapping[str, Entry]
    general: Entry
    layouts: Mapping[SuggestedAction, ActionLayout]
    templates: Mapping[str, Template]

    def entry_for(self, concept: str) -> Entry | None:
        return self.entries.get(concept)

    def layout_for(self, action: SuggestedAction) -> ActionLayout:
        return self.layouts[action]

    def examples(self) -> dict[str, Example]:
        """Every example shipped, by the name of the entry holding it."""
        return {name: entry.example for name, entry in {**self.entries, "_general": self.general}.items()}


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path.name}: unreadable: {exc}") from exc


def _validate(model: type[BaseModel], document: Any, where: str) -> Any:
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(str(e) for e in field_errors(exc))
        raise KnowledgeBaseError(f"{where}: {problems}") from exc


def load_entry(path: Path) -> Entry:
    entry: Entry = _validate(Entry, _read_yaml(path), path.name)
    if entry.concept != path.stem:
        raise KnowledgeBaseError(f"{path.name}: concept: {entry.concept!r} must match the file name {path.stem!r}")
    if not is_known_concept(entry.concept):
        raise KnowledgeBaseError(f"{path.name}: concept: {entry.concept!r} is not in learnflow.events._concepts.Concept")
    return entry


def load_layouts(path: Path) -> dict[SuggestedAction, ActionLayout]:
    document = _read_yaml(path)
    if not isinstance(document, dict):
        raise KnowledgeBaseError(f"{path.name}: expected a mapping of suggestedAction to layout")
    missing = sorted(a.value for a in SuggestedAction if a.value not in document)
    unknown = sorted(set(document) - {a.value for a in SuggestedAction})
    if missing or unknown:
        raise KnowledgeBaseError(f"{path.name}: missing actions {missing}, unknown actions {unknown}")
    return {SuggestedAction(k): _validate(ActionLayout, v, f"{path.name}: {k}") for k, v in document.items()}


def load_templates(path: Path) -> dict[str, Template]:
    document = _read_yaml(path)
    if not isinstance(document, dict):
        raise KnowledgeBaseError(f"{path.name}: expected a mapping of diagnosis id to template")
    return {str(k): _validate(Template, v, f"{path.name}: {k}") for k, v in document.items()}


def load_knowledge_base(directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Read and validate every file; any problem is a KnowledgeBaseError naming it."""
    entries = {}
    for path in sorted(directory.glob("*.yaml")):
        if not path.name.startswith("_"):
            entries[path.stem] = load_entry(path)
    general_path = directory / GENERAL_FILE
    general: Entry = _validate(Entry, _read_yaml(general_path), general_path.name)
    layouts = load_layouts(directory / ACTIONS_FILE)
    return KnowledgeBase(entries, general, layouts, load_templates(directory / DIAGNOSES_FILE))
