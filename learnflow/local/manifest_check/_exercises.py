"""The exercise catalogue of knative/: it validates, and every Service that reads it mounts it.

``knative/exercises/catalogue.yaml`` becomes the ``learnflow-exercises`` ConfigMap
(knative/kustomization.yaml's configMapGenerator). A Service that sets
``LEARNFLOW_EXERCISES`` must mount that ConfigMap on the variable's folder, or its
function stops at start with a missing file; a catalogue that does not validate
stops every such function, so it is refused here first, naming exercise and field.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from learnflow.events import CatalogueError, load_catalogue
from learnflow.local.manifest_check._report import Problem
from learnflow.local.manifests import Document

CATALOGUE = "knative/exercises/catalogue.yaml"
CONFIG_MAP = "learnflow-exercises"
VARIABLE = "LEARNFLOW_EXERCISES"
_C = "spec.template.spec.containers[0]"


def check_exercises(root: Path, knative_docs: list[Document]) -> list[Problem]:
    out: list[Problem] = []
    try:
        load_catalogue(root / CATALOGUE)
    except CatalogueError as exc:
        out.append(Problem(CATALOGUE, "", "(catalogue)", str(exc).replace(str(root / CATALOGUE) + ": ", "")))
    for doc in knative_docs:
        if doc.kind != "Service":
            continue
        spec: dict[str, Any] = doc.body.get("spec", {}).get("template", {}).get("spec", {})
        container = (spec.get("containers") or [{}])[0]
        path = next((v.get("value") for v in container.get("env", []) or [] if v.get("name") == VARIABLE), None)
        if path is None:
            continue
        volumes = {v.get("name"): v for v in spec.get("volumes", []) or []}
        mounted = [
            m
            for m in container.get("volumeMounts", []) or []
            if (volumes.get(m.get("name")) or {}).get("configMap", {}).get("name") == CONFIG_MAP
        ]
        if not any(m.get("mountPath") == posixpath.dirname(str(path)) for m in mounted):
            out.append(
                Problem.at(
                    doc,
                    f"{_C}.volumeMounts",
                    f"mount ConfigMap {CONFIG_MAP} on {posixpath.dirname(str(path))!r}, where {VARIABLE} points",
                )
            )
        if posixpath.basename(str(path)) != "catalogue.yaml":
            out.append(Problem.at(doc, f"{_C}.env.{VARIABLE}", "the ConfigMap's key is catalogue.yaml"))
    return out
