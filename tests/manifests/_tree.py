"""A disposable copy of the project's manifests, for tests that break one on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from learnflow.local.manifests import read_documents

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ("code_execution", "concepts", "triage")


def project_copy(dest: Path) -> Path:
    """eventing/ (without the generated event schemas), knative/, monitoring/, overlays/, func.yamls, Dockerfile."""
    shutil.copytree(
        ROOT / "eventing", dest / "eventing", ignore=lambda d, names: ["schemas"] if Path(d) == ROOT / "eventing" else []
    )
    shutil.copytree(ROOT / "knative", dest / "knative")
    shutil.copytree(ROOT / "overlays", dest / "overlays")
    shutil.copytree(ROOT / "monitoring", dest / "monitoring")
    for folder in FUNCTIONS:
        (dest / "functions" / folder).mkdir(parents=True)
        shutil.copy(ROOT / "functions" / folder / "func.yaml", dest / "functions" / folder)
    for name in ("Dockerfile", ".dockerignore"):
        shutil.copy(ROOT / name, dest / name)
    return dest


def edit(root: Path, rel: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the single document of ``root/rel`` and write it back."""
    path = root / rel
    (doc,) = read_documents(path)
    body = doc.body
    change(body)
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")


def env(body: dict[str, Any]) -> list[dict[str, Any]]:
    env_list: list[dict[str, Any]] = body["spec"]["template"]["spec"]["containers"][0]["env"]
    return env_list
