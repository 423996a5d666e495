"""Checks of monitoring/: the exporter's pod is hardened like the functions'.

The Deployment schema accepts a container that runs as root, has no probes or no limits.
These checks hold the exporter to what the functions' pods keep: non-root, read-only root
filesystem, every capability dropped, RuntimeDefault seccomp, no service-account token, and
besides resource requests and limits, readiness and liveness probes.
"""

from __future__ import annotations

from learnflow.local.manifest_check._eventing import NAMESPACE
from learnflow.local.manifest_check._knative import pod_security
from learnflow.local.manifest_check._report import Problem
from learnflow.local.manifests import Document

_POD = "spec.template.spec"
_C = f"{_POD}.containers[0]"


def _check_deployment(doc: Document) -> list[Problem]:
    spec = doc.body["spec"]["template"]["spec"]
    containers = spec.get("containers") or []
    if len(containers) != 1:
        return [Problem.at(doc, f"{_POD}.containers", "expected exactly one container")]
    c = containers[0]
    out = pod_security(doc, c, spec)
    if spec.get("automountServiceAccountToken") is not False:
        out.append(Problem.at(doc, f"{_POD}.automountServiceAccountToken", "must be false: it never calls the Kubernetes API"))
    pod = spec.get("securityContext") or {}
    if pod.get("runAsNonRoot") is False or pod.get("runAsUser") == 0:
        out.append(Problem.at(doc, f"{_POD}.securityContext", "must not run the pod as root"))
    if (pod.get("seccompProfile") or {}).get("type", "RuntimeDefault") != "RuntimeDefault":
        out.append(Problem.at(doc, f"{_POD}.securityContext.seccompProfile.type", "must be RuntimeDefault"))
    resources = c.get("resources") or {}
    for kind in ("requests", "limits"):
        out += [
            Problem.at(doc, f"{_C}.resources.{kind}.{k}", "set it")
            for k in ("cpu", "memory")
            if k not in (resources.get(kind) or {})
        ]
    out += [Problem.at(doc, f"{_C}.{probe}", "set it") for probe in ("readinessProbe", "livenessProbe") if not c.get(probe)]
    if doc.namespace != NAMESPACE:
        out.append(Problem.at(doc, "metadata.namespace", f"expected {NAMESPACE!r}"))
    return out


def check_monitoring(docs: list[Document]) -> list[Problem]:
    deployments = [d for d in docs if d.kind == "Deployment"]
    if not deployments:
        return [Problem("monitoring", "", "(folder)", "no Deployment: the exporter is missing")]
    return [p for d in deployments for p in _check_deployment(d)]
