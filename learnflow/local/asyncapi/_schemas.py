"""The contract models' JSON Schemas as AsyncAPI Schema objects under ``components.schemas``.

The starting point is what ``eventing/schemas/`` holds (``Topic.json_schema()``), so the
document and the schema files cannot describe different payloads. Three things change,
because an AsyncAPI Schema object is JSON Schema draft-07 with AsyncAPI's own keywords:

- ``#/$defs/X`` becomes ``#/components/schemas/X``: a ``$ref`` in the document resolves
  from the document's root, and the definitions of every topic share one namespace;
- a ``$ref`` with sibling keywords becomes ``allOf: [{$ref}]`` plus the siblings, since
  draft-07 ignores a ``$ref``'s siblings where 2020-12 applies them;
- pydantic's OpenAPI-style ``discriminator`` object is dropped: AsyncAPI's
  ``discriminator`` is a property name for ``allOf`` inheritance, not a mapping, and the
  ``oneOf`` it annotates already tells its members apart by their ``const`` tags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from learnflow.events import ConfigurationError, Topic

DEFS_PREFIX = "#/$defs/"
COMPONENTS_PREFIX = "#/components/schemas/"
# The schema file's own keywords: where it lives and its dialect, not the payload.
_FILE_KEYWORDS = ("$id", "$schema", "$defs")


def to_asyncapi(schema: Any) -> Any:
    """One JSON Schema 2020-12 fragment as an AsyncAPI Schema object (see the module's list)."""
    if isinstance(schema, list):
        return [to_asyncapi(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: to_asyncapi(value) for key, value in schema.items() if not (key == "discriminator" and isinstance(value, dict))}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
        out["$ref"] = COMPONENTS_PREFIX + ref.removeprefix(DEFS_PREFIX)
    if "$ref" in out and len(out) > 1:
        out["allOf"] = [{"$ref": out.pop("$ref")}, *out.get("allOf", [])]
    return out


@dataclass(frozen=True)
class TopicSchemas:
    """What one topic's schema file contributes: definitions, and the schema of each eventType."""

    definitions: dict[str, dict[str, Any]]  # by name, in the file's form
    events: dict[str, str]  # eventType to the name of its schema among the definitions


def _event_type(schema: dict[str, Any]) -> str | None:
    tag = schema.get("properties", {}).get("eventType", {})
    const = tag.get("const") if isinstance(tag, dict) else None
    return const if isinstance(const, str) else None


def split_topic_schema(schema: dict[str, Any]) -> TopicSchemas:
    """The definitions of a topic's schema file, with one named schema per eventType.

    A file is either one event model (its root, named by its ``title``) or a union of
    them (each a ``$defs`` entry); an event model is a schema whose ``eventType`` has a
    ``const``.
    """
    definitions = dict(schema.get("$defs", {}))
    root = {key: value for key, value in schema.items() if key not in _FILE_KEYWORDS}
    root_type = _event_type(root)
    if root_type is not None:
        name = str(root.get("title", ""))
        if not name or name in definitions:
            raise ConfigurationError(f"{schema.get('$id')}: the event model needs a title of its own, got {name!r}")
        definitions[name] = root
    events = {et: name for name, body in definitions.items() if (et := _event_type(body)) is not None}
    return TopicSchemas(definitions, events)


@dataclass(frozen=True)
class Components:
    """``components.schemas`` of the document, and which of them is each eventType's payload."""

    schemas: dict[str, Any]
    payloads: dict[str, str]  # eventType to schema name


def components(topics: Iterable[Topic]) -> Components:
    """Every topic's definitions in one namespace; a name two topics define differently is refused."""
    schemas: dict[str, Any] = {}
    owner: dict[str, str] = {}
    payloads: dict[str, str] = {}
    for topic in topics:
        split = split_topic_schema(topic.json_schema())
        for name, body in split.definitions.items():
            converted = to_asyncapi(body)
            if name in schemas and schemas[name] != converted:
                raise ConfigurationError(
                    f"schema {name!r} differs between the topics {owner[name]!r} and {topic.name!r}; "
                    "give one of the models another name"
                )
            schemas[name] = converted
            owner.setdefault(name, topic.name)
        missing = sorted(topic.event_types - split.events.keys())
        if missing:
            raise ConfigurationError(f"topic {topic.name!r}: no schema found for {', '.join(missing)}")
        payloads.update({et: split.events[et] for et in sorted(topic.event_types)})
    return Components(dict(sorted(schemas.items())), payloads)
