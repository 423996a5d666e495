"""Manifest files as Kubernetes reads them: YAML documents, kustomization resources.

Each object keeps the file it came from, so every error can name the file, the
object and the field path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from learnflow.events import ConfigurationError

KUSTOMIZATION = "kustomization.yaml"
SERVICE_API = ("serving.knative.dev/v1", "Service")
KAFKA_SINK_API = ("eventing.knative.dev/v1alpha1", "KafkaSink")


class _Loader(yaml.SafeLoader):
    """YAML as Kubernetes reads it: an unquoted timestamp stays a string."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    """One object of a manifest file."""

    path: Path
    body: dict[str, Any]
    display: str  # the path shown in messages, relative to the project root

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion", ""))

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def name(self) -> str:
        meta = self.body.get("metadata")
        return str(meta.get("name", "?")) if isinstance(meta, dict) else "?"

    @property
    def namespace(self) -> str | None:
        meta = self.body.get("metadata")
        ns = meta.get("namespace") if isinstance(meta, dict) else None
        return ns if isinstance(ns, str) else None

    @property
    def label(self) -> str:
        return f"{self.kind or '?'}/{self.name}"

    def where(self, field_path: str) -> str:
        return f"{self.display}: {self.label}: {field_path}"

    def error(self, field_path: str, reason: str) -> ConfigurationError:
        return ConfigurationError(f"{self.where(field_path)}: {reason}")

    def get(self, field_path: str, typ: type | tuple[type, ...], default: Any = ...) -> Any:
        """The value at a dotted path; missing without a default, or mistyped, raises."""
        node: Any = self.body
        for part in field_path.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is ...:
                    raise self.error(field_path, "missing")
                return default
            node = node[part]
        if (typ is int and isinstance(node, bool)) or not isinstance(node, typ):
            raise self.error(field_path, f"expected {_type_name(typ)}, got {node!r}")
        return node


def _type_name(typ: type | tuple[type, ...]) -> str:
    types = typ if isinstance(typ, tuple) else (typ,)
    return " or ".join(
        {"str": "a string", "int": "an integer", "dict": "a mapping", "list": "a list"}.get(t.__name__, t.__name__) for t in types
    )


def read_documents(path: Path, display: str | None = None) -> list[Document]:
    """Every non-empty document of a YAML file; each must be a mapping."""
    shown = display or str(path)
    try:
        raw = list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=_Loader))
    except OSError as exc:
        raise ConfigurationError(f"{shown}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{shown}: malformed YAML: {exc}") from exc
    docs = []
    for i, body in enumerate(raw):
        if body is None:
            continue
        if not isinstance(body, dict):
            raise ConfigurationError(f"{shown}: document {i + 1}: expected a mapping, got {body!r}")
        docs.append(Document(path, body, shown))
    return docs


def kustomize_files(folder: Path) -> list[Path]:
    """The files ``kubectl apply -k folder`` applies, following nested kustomizations."""
    kfile = folder / KUSTOMIZATION
    (doc,) = read_documents(kfile) or [None]
    if doc is None or not isinstance(doc.body.get("resources", []), list):
        raise ConfigurationError(f"{kfile}: resources: expected a list of files")
    out: list[Path] = []
    for i, entry in enumerate(doc.body.get("resources", [])):
        target = folder / str(entry)
        if target.is_dir() and (target / KUSTOMIZATION).is_file():
            out.extend(kustomize_files(target))
        elif target.is_file():
            out.append(target)
        else:
            raise ConfigurationError(f"{kfile}: resources[{i}]: {entry!r} does not exist")
    return out


def load_folder(root: Path, folder: str) -> list[Document]:
    """Every object the kustomization of ``root/folder`` applies."""
    return [d for f in kustomize_files(root / folder) for d in read_documents(f, str(f.relative_to(root)))]


_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?"
    r"(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> float:
    """Seconds in an ISO-8601 duration as Knative writes them (``PT0.5S``, ``PT1M``)."""
    m = _DURATION.match(text)
    if not m or not any(m.groupdict().values()) or text.endswith("T"):
        raise ValueError(f"{text!r} is not an ISO-8601 duration such as PT0.5S")
    scale = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
    return sum(float(v) * scale[k] for k, v in m.groupdict().items() if v)
