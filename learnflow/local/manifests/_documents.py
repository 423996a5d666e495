"""Manifest files as Kubernetes reads them: YAML documents, kustomization resources.

Each object keeps the file it came from, so every error can name the file, the
object and the field path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from learnflow.events import ConfigurationError

KUSTOMIZATION = "kustomization.yaml"
SERVICE_API = ("serving.knative.dev/v1", "Service")


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
    docs = read_documents(kfile)
    resources = docs[0].body.get("resources", []) if len(docs) == 1 else None
    if not isinstance(resources, list):
        raise ConfigurationError(f"{kfile}: resources: expected a list of files")
    out: list[Path] = []
    for i, entry in enumerate(resources):
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
