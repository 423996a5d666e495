"""Strict schema validation of each manifest against its upstream CRD.

The apiserver prunes or (with strict field validation) rejects fields a CRD does not
declare; JSON Schema accepts them unless told otherwise. So every object schema that
lists ``properties`` and neither ``additionalProperties`` nor
``x-kubernetes-preserve-unknown-fields`` gets ``additionalProperties: false``. A
typo such as ``spec.delivery.backofDelay`` then fails here instead of being dropped
silently in the cluster.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator, Draft7Validator, Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from learnflow.local.manifest_check._report import Problem
from learnflow.local.manifests import Document

CRDS = Path(__file__).resolve().parent.parent / "crds"

# (apiVersion, kind) -> (CRD file, served version). Nothing else may be applied.
CRD_FILES: dict[tuple[str, str], tuple[str, str]] = {
    ("kafka.strimzi.io/v1", "KafkaTopic"): ("strimzi-kafkatopic.crd.yaml", "v1"),
    ("kafka.strimzi.io/v1", "Kafka"): ("strimzi-kafka.crd.yaml", "v1"),
    ("kafka.strimzi.io/v1", "KafkaNodePool"): ("strimzi-kafkanodepool.crd.yaml", "v1"),
    ("sources.knative.dev/v1", "KafkaSource"): ("knative-kafkasource.crd.yaml", "v1"),
    ("eventing.knative.dev/v1alpha1", "KafkaSink"): ("knative-kafkasink.crd.yaml", "v1alpha1"),
    ("serving.knative.dev/v1", "Service"): ("knative-serving-service.crd.yaml", "v1"),
    ("dapr.io/v1alpha1", "Component"): ("dapr-component.crd.yaml", "v1alpha1"),
    ("dapr.io/v2alpha1", "Subscription"): ("dapr-subscription.crd.yaml", "v2alpha1"),
    ("dapr.io/v1alpha1", "Resiliency"): ("dapr-resiliency.crd.yaml", "v1alpha1"),
}
FUNC_YAML_SCHEMA = "knative-func-yaml.schema.json"
# Core kinds beyond ConfigMap and Namespace: the Kubernetes OpenAPI definitions as JSON
# Schema, already strict (every object closed), so they are used as they are.
K8S_DEFINITIONS = "kubernetes-1.33-strict.definitions.json"
K8S_KINDS: dict[tuple[str, str], str] = {
    ("networking.k8s.io/v1", "NetworkPolicy"): "io.k8s.api.networking.v1.NetworkPolicy",
    ("apps/v1", "Deployment"): "io.k8s.api.apps.v1.Deployment",
    ("v1", "Service"): "io.k8s.api.core.v1.Service",
}

_DNS1123_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
_DNS1123_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}

# ObjectMeta, reduced to what a hand-written manifest may carry.
METADATA: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "maxLength": 253, "pattern": _DNS1123_SUBDOMAIN},
        "namespace": {"type": "string", "maxLength": 63, "pattern": _DNS1123_LABEL},
        "labels": _STRING_MAP,
        "annotations": _STRING_MAP,
    },
}

# Core kinds have no CRD; these cover the fields a ConfigMap or Namespace may have.
BUILTIN: dict[tuple[str, str], dict[str, Any]] = {
    ("v1", "ConfigMap"): {
        "type": "object",
        "properties": {
            "data": _STRING_MAP,
            "binaryData": _STRING_MAP,
            "immutable": {"type": "boolean"},
        },
    },
    ("v1", "Namespace"): {"type": "object", "properties": {}},
}


def strict(schema: Any) -> Any:
    """A copy of an OpenAPI v3 schema in which undeclared fields are errors."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) if k not in ("properties", "enum", "default", "example") else v for k, v in schema.items()}
    if isinstance(schema.get("properties"), dict):
        out["properties"] = {k: strict(v) for k, v in schema["properties"].items()}
        if "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
    return out


def _top_level(schema: dict[str, Any]) -> dict[str, Any]:
    """apiVersion, kind and our metadata at the root; status is never written by hand."""
    props = dict(schema.get("properties", {}))
    props.pop("status", None)
    props.update(apiVersion={"type": "string"}, kind={"type": "string"}, metadata=METADATA)
    return {**schema, "type": "object", "properties": props}


@cache
def _k8s_definitions() -> dict[str, Any]:
    defs: dict[str, Any] = json.loads((CRDS / K8S_DEFINITIONS).read_text(encoding="utf-8"))["$defs"]
    return defs


def _k8s_validator(definition: str) -> Validator:
    """The kind's definition at the root, its references resolved inside the same document."""
    defs = _k8s_definitions()
    top = copy.deepcopy(defs[definition])
    top["properties"]["metadata"] = METADATA
    top["properties"].pop("status", None)
    return Draft202012Validator({**top, "$defs": defs})


@cache
def validator_for(api_version: str, kind: str) -> Validator | None:
    key = (api_version, kind)
    if key in K8S_KINDS:
        return _k8s_validator(K8S_KINDS[key])
    if key in BUILTIN:
        schema = BUILTIN[key]
    elif key in CRD_FILES:
        file, version = CRD_FILES[key]
        crd = yaml.safe_load((CRDS / file).read_text(encoding="utf-8"))
        (served,) = [v for v in crd["spec"]["versions"] if v["name"] == version]
        schema = copy.deepcopy(served["schema"]["openAPIV3Schema"])
    else:
        return None
    return Draft7Validator(strict(_top_level(schema)))


@cache
def func_yaml_validator() -> Validator:
    schema = json.loads((CRDS / FUNC_YAML_SCHEMA).read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=FormatChecker())


def field_path(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(root)"


def _join(base: str, name: str) -> str:
    return name if base == "(root)" else f"{base}.{name}"


def explain(err: ValidationError) -> list[tuple[str, str]]:
    """(field path, reason) pairs for one schema error, naming the offending field."""
    base = field_path(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        declared = set(err.schema.get("properties", {}))
        extra = sorted(k for k in err.instance if k not in declared)
        return [(_join(base, k), "unknown field (not in the schema)") for k in extra]
    if err.validator == "required" and isinstance(err.instance, dict):
        missing = [r for r in err.validator_value if r not in err.instance]
        return [(_join(base, r), "required field missing") for r in missing]
    return [(base, err.message)]


def validate(doc: Document, validator: Validator, label: str | None = None) -> list[Problem]:
    errors = sorted(validator.iter_errors(doc.body), key=lambda e: list(map(str, e.absolute_path)))
    obj = label or doc.label
    return [Problem(doc.display, obj, path, why) for e in errors for path, why in explain(e)]


def validate_manifest(doc: Document) -> list[Problem]:
    validator = validator_for(doc.api_version, doc.kind)
    if validator is None:
        known = ", ".join(f"{a} {k}" for a, k in sorted([*CRD_FILES, *BUILTIN, *K8S_KINDS]))
        return [Problem.at(doc, "apiVersion", f"no schema for {doc.api_version} {doc.kind}; known: {known}")]
    return validate(doc, validator)
