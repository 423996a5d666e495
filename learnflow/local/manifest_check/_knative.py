"""Checks of knative/ and the func.yaml files: the parts the Serving CRD leaves open.

The Serving CRD types the pod spec, but a wrong FUNCTION_TARGET, an env var that
reads a ConfigMap nobody declares, or a code-execution pod that can write its root
filesystem are all schema-valid. These checks close that gap, and keep each
func.yaml saying what its Service says.

Every Service is a function except the learner gateway (``learner-gateway``, image
``learnflow-gateway``): it is no KafkaSource sink and names no FUNCTION_*, but must keep
its Kafka reader up (min-scale), take learners' tokens from an identity provider (an
https issuer and an audience; no shared HS256 key, never minting), and set the timeouts
a long-lived stream meets.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from learnflow.local._gateway_server import GATEWAY_SERVICE
from learnflow.local.manifest_check._eventing import BOOTSTRAP, NAMESPACE
from learnflow.local.manifest_check._report import Problem
from learnflow.local.manifest_check._schemas import func_yaml_validator, validate
from learnflow.local.manifests import Document, Knative, read_documents

IMAGE = "learnflow-functions"  # the kustomize images: name; the real reference lives there
GATEWAY_IMAGE = "learnflow-gateway"
DEV_SESSIONS = "LEARNFLOW_GATEWAY_DEV_SESSIONS"
JWT_KEY = "LEARNFLOW_GATEWAY_JWT_KEY"
JWT_KEY_FILE = "LEARNFLOW_GATEWAY_JWT_KEY_FILE"
OIDC_ISSUER = "LEARNFLOW_GATEWAY_OIDC_ISSUER"
OIDC_AUDIENCE = "LEARNFLOW_GATEWAY_OIDC_AUDIENCE"
OIDC_JWKS_URL = "LEARNFLOW_GATEWAY_OIDC_JWKS_URL"
COOKIE_SECURE = "LEARNFLOW_GATEWAY_COOKIE_SECURE"
MAX_REVISION_TIMEOUT = 600  # Knative's default max-revision-timeout-seconds (config-defaults)
FUNC_SPEC_VERSION = "0.36.0"
_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_SOURCE = re.compile(r"^functions/(?P<folder>[a-z_][a-z0-9_]*)/main\.py$")
_QUANTITY = re.compile(r"^\d+(\.\d+)?([KMGTPE]i|[kMGTPE])?$")
# The sandbox's highest level (functions/code_execution/layers.py): seccomp plus Landlock.
STRICT_SANDBOX = "L2"
_C = "spec.template.spec.containers[0]"


def function_folders(root: Path) -> list[str]:
    base = root / "functions"
    return sorted(p.name for p in base.iterdir() if p.is_dir() and p.name[0] not in "._") if base.is_dir() else []


def pod_security(doc: Document, c: dict[str, Any], spec: dict[str, Any]) -> list[Problem]:
    """The hardening every pod here shares (a Knative Service's template or a Deployment's)."""
    sc = c.get("securityContext") or {}
    want = {"runAsNonRoot": True, "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True}
    out = [
        Problem.at(doc, f"{_C}.securityContext.{k}", f"must be {str(v).lower()}") for k, v in want.items() if sc.get(k) is not v
    ]
    if sc.get("runAsUser") == 0:
        out.append(Problem.at(doc, f"{_C}.securityContext.runAsUser", "must not be 0 (root)"))
    if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
        out.append(Problem.at(doc, f"{_C}.securityContext.capabilities.drop", "must drop ALL"))
    if (sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        out.append(Problem.at(doc, f"{_C}.securityContext.seccompProfile.type", "must be RuntimeDefault"))
    volumes = {v.get("name"): v for v in spec.get("volumes", []) or [] if isinstance(v, dict)}
    tmp = [m for m in c.get("volumeMounts", []) or [] if m.get("mountPath") == "/tmp"]
    if not tmp or "emptyDir" not in volumes.get(tmp[0].get("name"), {}):
        out.append(Problem.at(doc, f"{_C}.volumeMounts", "a read-only root needs /tmp from an emptyDir"))
    for i, vol in enumerate(spec.get("volumes", []) or []):
        empty = vol.get("emptyDir") if isinstance(vol, dict) else None
        if isinstance(empty, dict):  # the CRD keeps emptyDir open; check it here
            where = f"spec.template.spec.volumes[{i}].emptyDir"
            out += [Problem.at(doc, f"{where}.{k}", "unknown field") for k in empty if k not in ("medium", "sizeLimit")]
            if empty.get("medium", "") not in ("", "Memory"):
                out.append(Problem.at(doc, f"{where}.medium", 'must be "" or Memory'))
            if not _QUANTITY.match(str(empty.get("sizeLimit", ""))):
                out.append(Problem.at(doc, f"{where}.sizeLimit", "set a size, e.g. 64Mi"))
    return out


def _check_service(doc: Document, root: Path, config: dict[str, dict[str, str]]) -> list[Problem]:
    out: list[Problem] = []
    spec = doc.body["spec"]["template"]["spec"]
    c = spec["containers"][0]
    if not _DNS1035.match(doc.name) or len(doc.name) > 63:
        out.append(Problem.at(doc, "metadata.name", "a Service name must be a DNS-1035 label"))
    if doc.namespace != NAMESPACE:
        out.append(Problem.at(doc, "metadata.namespace", f"expected {NAMESPACE!r}"))
    env = c.get("env", []) or []
    names = [e.get("name") for e in env]
    out += [Problem.at(doc, f"{_C}.env[{i}].name", "duplicate") for i, n in enumerate(names) if n in names[:i]]
    values = {e["name"]: e for e in env if isinstance(e.get("name"), str)}
    if doc.name == GATEWAY_SERVICE or c.get("image") == GATEWAY_IMAGE:
        out += _check_gateway(doc, c, spec, values)
    else:
        out += _check_function(doc, root, c, values)
    ref = (values.get("KAFKA_BOOTSTRAP_SERVERS", {}).get("valueFrom") or {}).get("configMapKeyRef")
    if not ref or config.get(ref.get("name"), {}).get(ref.get("key")) != BOOTSTRAP:
        out.append(
            Problem.at(doc, f"{_C}.env.KAFKA_BOOTSTRAP_SERVERS", "must read a declared ConfigMap key holding " + BOOTSTRAP)
        )
    for port in c.get("ports", []) or []:
        if port.get("containerPort") != 8080:
            out.append(Problem.at(doc, f"{_C}.ports", "the image listens on 8080"))
    limits = (c.get("resources") or {}).get("limits") or {}
    out += [Problem.at(doc, f"{_C}.resources.limits.{k}", "set a limit") for k in ("cpu", "memory") if k not in limits]
    out += pod_security(doc, c, spec)
    return out


def _check_function(doc: Document, root: Path, c: dict[str, Any], values: dict[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    if c.get("image") != IMAGE:
        out.append(Problem.at(doc, f"{_C}.image", f"use {IMAGE!r}; kustomization images: sets it"))
    for var in ("FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "FUNCTION_SOURCE"):
        if not isinstance(values.get(var, {}).get("value"), str) or not values[var]["value"]:
            out.append(Problem.at(doc, f"{_C}.env.{var}", "required, as a literal value"))
    sig = values.get("FUNCTION_SIGNATURE_TYPE", {}).get("value")
    if sig and sig not in ("cloudevent", "http"):
        out.append(Problem.at(doc, f"{_C}.env.FUNCTION_SIGNATURE_TYPE", "cloudevent or http"))
    source = str(values.get("FUNCTION_SOURCE", {}).get("value", ""))
    m = _SOURCE.match(source)
    if source and (not m or not (root / "functions" / m["folder"]).is_dir()):
        out.append(Problem.at(doc, f"{_C}.env.FUNCTION_SOURCE", f"{source!r} is not functions/<an existing folder>/main.py"))
    if m and m["folder"] == "code_execution" and values.get("SANDBOX_MIN_LEVEL", {}).get("value") != STRICT_SANDBOX:
        out.append(
            Problem.at(
                doc,
                f"{_C}.env.SANDBOX_MIN_LEVEL",
                f"code execution must refuse to run below {STRICT_SANDBOX} (seccomp and Landlock)",
            )
        )
    return out


def _check_identity(doc: Document, values: dict[str, Any]) -> list[Problem]:
    """Learners' tokens from an identity provider: an https issuer and an audience, as literals.

    Literal values, so that this check (and a reviewer) sees what the gateway will trust;
    https, because keys fetched over plain HTTP could be swapped on the way.
    """
    out: list[Problem] = []
    for var, why in ((OIDC_ISSUER, "the identity provider's https issuer"), (OIDC_AUDIENCE, "the audience tokens are for")):
        value = values.get(var, {}).get("value")
        if not isinstance(value, str) or not value.strip():
            out.append(Problem.at(doc, f"{_C}.env.{var}", f"required, as a literal value: {why}"))
        elif var == OIDC_ISSUER and not value.startswith("https://"):
            out.append(Problem.at(doc, f"{_C}.env.{var}", "must be an https URL: its keys are fetched from there"))
    jwks = values.get(OIDC_JWKS_URL, {}).get("value")
    if jwks is not None and not str(jwks).startswith("https://"):
        out.append(Problem.at(doc, f"{_C}.env.{OIDC_JWKS_URL}", "must be an https URL"))
    if str(values.get(COOKIE_SECURE, {}).get("value", "true")).lower() in ("false", "0", "no", "off"):
        out.append(Problem.at(doc, f"{_C}.env.{COOKIE_SECURE}", "never false in a cluster: the cookie holds the learner's token"))
    return out


def _check_gateway(doc: Document, c: dict[str, Any], spec: dict[str, Any], values: dict[str, Any]) -> list[Problem]:
    """The learner gateway: a long-lived ASGI service with a Kafka reader, not a function."""
    out: list[Problem] = []
    if doc.name != GATEWAY_SERVICE:
        out.append(
            Problem.at(doc, "metadata.name", f"the gateway's Service is {GATEWAY_SERVICE!r} (learnflow up and policies name it)")
        )
    if c.get("image") != GATEWAY_IMAGE:
        out.append(Problem.at(doc, f"{_C}.image", f"use {GATEWAY_IMAGE!r}; kustomization images: sets it"))
    out += [
        Problem.at(doc, f"{_C}.env.{var}", "the gateway is not a functions-framework function")
        for var in ("FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "FUNCTION_SOURCE")
        if var in values
    ]
    if DEV_SESSIONS in values:
        out.append(Problem.at(doc, f"{_C}.env.{DEV_SESSIONS}", "never in a cluster: the gateway would mint tokens for anyone"))
    for var in (JWT_KEY, JWT_KEY_FILE):
        if var in values:
            out.append(
                Problem.at(
                    doc,
                    f"{_C}.env.{var}",
                    f"never in a cluster: an HS256 key is for learnflow up; tokens come from the issuer in {OIDC_ISSUER}",
                )
            )
    out += _check_identity(doc, values)
    notes = ((doc.body["spec"]["template"].get("metadata") or {}).get("annotations")) or {}
    try:
        min_scale = int(notes.get("autoscaling.knative.dev/min-scale", "0"))
    except ValueError:
        min_scale = 0
    if min_scale < 1:
        out.append(
            Problem.at(
                doc,
                "spec.template.metadata.annotations.autoscaling.knative.dev/min-scale",
                "at least 1: its Kafka reader must run without HTTP traffic",
            )
        )
    timeout, start = spec.get("timeoutSeconds"), spec.get("responseStartTimeoutSeconds")
    if not isinstance(timeout, int) or not 0 < timeout <= MAX_REVISION_TIMEOUT:
        out.append(
            Problem.at(
                doc,
                "spec.template.spec.timeoutSeconds",
                f"set it for streams, at most {MAX_REVISION_TIMEOUT} (max-revision-timeout-seconds) unless the operator raised that",
            )
        )
    if not isinstance(start, int) or not 0 < start <= (timeout if isinstance(timeout, int) else MAX_REVISION_TIMEOUT):
        out.append(Problem.at(doc, "spec.template.spec.responseStartTimeoutSeconds", "set it, no longer than timeoutSeconds"))
    if spec.get("containerConcurrency", 0) != 0:
        out.append(
            Problem.at(
                doc,
                "spec.template.spec.containerConcurrency",
                "0: every open stream is a request, and queued ones wait for nothing",
            )
        )
    return out


def check_services(docs: list[Document], root: Path) -> list[Problem]:
    config = {d.name: dict(d.body.get("data") or {}) for d in docs if d.kind == "ConfigMap"}
    out = [p for d in docs if d.kind == "Service" for p in _check_service(d, root, config)]
    for d in docs:
        if d.namespace is not None and d.namespace != NAMESPACE:
            out.append(Problem.at(d, "metadata.namespace", f"expected {NAMESPACE!r}"))
    return out


def _env(doc: dict[str, Any]) -> dict[str, str]:
    return {e.get("name"): e.get("value") for e in (doc.get("run") or {}).get("envs") or []}


def check_functions(root: Path, knative: Knative) -> tuple[list[Problem], list[Document]]:
    """Each function folder: a func.yaml (valid, same name) and a Service of that name."""
    out: list[Problem] = []
    docs: list[Document] = []
    for folder in function_folders(root):
        name, path = folder.replace("_", "-"), root / "functions" / folder / "func.yaml"
        if name not in knative.services:
            out.append(Problem(f"functions/{folder}", "", "(folder)", f"no Knative Service {name!r}"))
        if not path.is_file():
            out.append(Problem(f"functions/{folder}", "", "func.yaml", "missing"))
            continue
        docs_in_file = read_documents(path, str(path.relative_to(root)))
        if len(docs_in_file) != 1:
            out.append(Problem(str(path.relative_to(root)), "", "(file)", "expected one document"))
            continue
        doc = docs_in_file[0]
        docs.append(doc)
        label = f"func.yaml/{doc.body.get('name', '?')}"

        def bad(field: str, why: str, doc: Document = doc, label: str = label, out: list[Problem] = out) -> None:
            out.append(Problem(doc.display, label, field, why))

        out += validate(doc, func_yaml_validator(), label)
        body = doc.body
        for key, want in (("specVersion", FUNC_SPEC_VERSION), ("name", name), ("namespace", NAMESPACE)):
            if body.get(key) != want:
                bad(key, f"expected {want!r}")
        if (body.get("deploy") or {}).get("namespace") != NAMESPACE:
            bad("deploy.namespace", f"expected {NAMESPACE!r}")
        if "image" in body or "image" in (body.get("deploy") or {}):
            bad("image", "pass --image; kustomize images: is the one place")
        svc = knative.services.get(name)
        if svc:
            env = _env(body)
            for var in ("FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "FUNCTION_SOURCE", "SANDBOX_MIN_LEVEL"):
                if env.get(var) != svc.env.get(var):
                    bad(f"run.envs.{var}", f"{env.get(var)!r}, but Service {name!r} says {svc.env.get(var)!r}")
            opts = (body.get("deploy") or {}).get("options") or {}
            scale = opts.get("scale") or {}
            if (scale.get("min"), scale.get("max")) != (svc.min_scale, svc.max_scale):
                bad("deploy.options.scale", "differs from the Service's scale annotations")
            limits = (opts.get("resources") or {}).get("limits") or {}
            if limits.get("concurrency") != svc.container_concurrency:
                bad("deploy.options.resources.limits.concurrency", f"the Service says {svc.container_concurrency}")
    return out, docs
