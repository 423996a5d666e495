"""One manifest object into its model, or one error naming the file, the object and each field path."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from learnflow.events import ConfigurationError
from learnflow.local.manifests._documents import Document

T = TypeVar("T")

_SHOWN_INPUT = 60  # characters of a rejected value quoted in a message


def field_path(loc: tuple[int | str, ...]) -> str:
    """``("spec", "containers", 0, "env")`` as ``spec.containers[0].env``, the way kubectl writes it."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
    return out


def reason(error: ErrorDetails) -> str:
    """pydantic's message, plus the value it rejected; our own checks word theirs in full."""
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    value = error["input"]
    if error["type"] == "missing" or not isinstance(value, str | int | float | bool | None):
        return error["msg"]
    shown = repr(value)
    return f"{error['msg']}, got {shown if len(shown) <= _SHOWN_INPUT else shown[:_SHOWN_INPUT] + '...'}"


def read_object(doc: Document, model: type[T], **context: Any) -> T:
    """The ``model`` that ``doc`` declares; ``context`` resolves its references to other objects.

    Every problem raises one ConfigurationError, e.g.
    ``eventing/sources/triage.yaml: KafkaSource/triage: spec.delivery.retry: Input should be
    a valid integer, got '3'``, further problems of the same object following after ``; ``.
    """
    try:
        # by_name=False: a manifest is read by its own field names only, never the model's.
        read = TypeAdapter(model).validate_python(doc.body, context=context, by_alias=True, by_name=False)
    except ValidationError as exc:
        problems = [f"{field_path(e['loc']) or '(object)'}: {reason(e)}" for e in exc.errors(include_url=False)]
        raise ConfigurationError(f"{doc.display}: {doc.label}: {'; '.join(problems)}") from None
    return read
