"""Turn raw documents into contract models, or into an InvalidEvent naming each field."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from learnflow.events._errors import FieldError, InvalidEvent

T = TypeVar("T")

_DOCUMENT = "<document>"


def _path(loc: tuple[Any, ...], tags: frozenset[str]) -> str:
    parts = list(loc)
    # A discriminated union reports the chosen member's tag first ("code.executed");
    # that is not a field, so drop it and keep the path the author wrote. A union
    # nested in data (struggle.detected's evidence) puts its tag mid-path; tags are
    # dotted event types, which no camelCase field name is.
    if parts and isinstance(parts[0], str) and parts[0] in tags:
        parts = parts[1:]
    parts = [p for p in parts if not (isinstance(p, str) and "." in p)]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or _DOCUMENT


_TAG_FIELD = "eventType"


def field_errors(exc: ValidationError, tags: frozenset[str] = frozenset()) -> list[FieldError]:
    out = []
    for err in exc.errors():
        if err["type"] in ("union_tag_invalid", "union_tag_not_found") and not err["loc"]:
            # The union reports a bad or missing discriminator at the root.
            out.append(FieldError(_TAG_FIELD, f"must be one of {', '.join(sorted(tags))}"))
        elif err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            # A nested union (data.evidence): name its discriminator, camelCase as written.
            field = str(err.get("ctx", {}).get("discriminator", "")).rpartition("|")[2].strip(" '")
            expected = str(err.get("ctx", {}).get("expected_tags", "")).replace("'", "")
            message = f"must be one of {expected}" if expected else "missing"
            out.append(FieldError(f"{_path(err['loc'], tags)}.{field}", message))
        else:
            out.append(FieldError(_path(err["loc"], tags), err["msg"]))
    return out


def load_json(raw: bytes | str) -> Any:
    """Parse JSON text, mapping undecodable bytes and bad syntax to InvalidEvent."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidEvent.single(_DOCUMENT, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidEvent.single(_DOCUMENT, f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc
    except RecursionError as exc:  # valid JSON nested deeper than the parser's stack: still the sender's fault
        raise InvalidEvent.single(_DOCUMENT, "not JSON this parser can read (nested too deeply)") from exc


def validate_document(adapter: TypeAdapter[T], document: Any, tags: frozenset[str] = frozenset()) -> T:
    """Validate a parsed document (or raw JSON bytes/str) against ``adapter``."""
    if isinstance(document, (bytes, bytearray, str)):
        document = load_json(bytes(document) if isinstance(document, bytearray) else document)
    if not isinstance(document, dict):
        raise InvalidEvent.single(_DOCUMENT, f"expected a JSON object, got {type(document).__name__}")
    try:
        return adapter.validate_python(document)
    except ValidationError as exc:
        raise InvalidEvent(field_errors(exc, tags)) from exc
