"""knative/gateway.yaml: the learner gateway is checked as what it is, not as a function."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from learnflow.local.manifest_check import check
from learnflow.local.manifests import load_knative

from ._tree import ROOT, edit, env, project_copy

Body = dict[str, Any]
GATEWAY = "knative/gateway.yaml"


def _spec(b: Body) -> Body:
    spec: Body = b["spec"]["template"]["spec"]
    return spec


def _annotations(b: Body) -> Body:
    notes: Body = b["spec"]["template"]["metadata"]["annotations"]
    return notes


def _var(b: Body, name: str) -> Body:
    return next(e for e in env(b) if e["name"] == name)


ISSUER = "LEARNFLOW_GATEWAY_OIDC_ISSUER"
AUDIENCE = "LEARNFLOW_GATEWAY_OIDC_AUDIENCE"


CASES: dict[str, tuple[Callable[[Body], None], str]] = {
    "dev-sessions-on": (
        lambda b: env(b).append({"name": "LEARNFLOW_GATEWAY_DEV_SESSIONS", "value": "true"}),
        "env.LEARNFLOW_GATEWAY_DEV_SESSIONS: never in a cluster",
    ),
    "key-as-literal": (
        lambda b: env(b).append({"name": "LEARNFLOW_GATEWAY_JWT_KEY", "value": "k" * 40}),
        "env.LEARNFLOW_GATEWAY_JWT_KEY: never in a cluster",
    ),
    "key-from-secret-as-env": (
        lambda b: env(b).append(
            {
                "name": "LEARNFLOW_GATEWAY_JWT_KEY",
                "valueFrom": {"secretKeyRef": {"name": "learner-gateway-jwt", "key": "signingKey"}},
            }
        ),
        "env.LEARNFLOW_GATEWAY_JWT_KEY: never in a cluster",
    ),
    "key-file-from-a-secret": (
        lambda b: env(b).append({"name": "LEARNFLOW_GATEWAY_JWT_KEY_FILE", "value": "/var/run/secrets/learnflow/signingKey"}),
        "env.LEARNFLOW_GATEWAY_JWT_KEY_FILE: never in a cluster: an HS256 key is for learnflow up",
    ),
    "no-issuer": (
        lambda b: env(b).remove(_var(b, ISSUER)),
        f"spec.template.spec.containers[0].env.{ISSUER}: required, as a literal value",
    ),
    "empty-issuer": (lambda b: _var(b, ISSUER).update(value=""), f"env.{ISSUER}: required, as a literal value"),
    "issuer-from-elsewhere": (
        lambda b: _var(b, ISSUER).update(value=None, valueFrom={"configMapKeyRef": {"name": "idp", "key": "issuer"}}),
        f"env.{ISSUER}: required, as a literal value",
    ),
    "plain-http-issuer": (
        lambda b: _var(b, ISSUER).update(value="http://keycloak.learnflow.svc/realms/learnflow"),
        f"env.{ISSUER}: must be an https URL",
    ),
    "no-audience": (lambda b: env(b).remove(_var(b, AUDIENCE)), f"env.{AUDIENCE}: required, as a literal value"),
    "plain-http-jwks": (
        lambda b: env(b).append({"name": "LEARNFLOW_GATEWAY_OIDC_JWKS_URL", "value": "http://keycloak/certs"}),
        "env.LEARNFLOW_GATEWAY_OIDC_JWKS_URL: must be an https URL",
    ),
    "insecure-cookie": (
        lambda b: env(b).append({"name": "LEARNFLOW_GATEWAY_COOKIE_SECURE", "value": "false"}),
        "env.LEARNFLOW_GATEWAY_COOKIE_SECURE: never false in a cluster",
    ),
    "scales-to-zero": (
        lambda b: _annotations(b).update({"autoscaling.knative.dev/min-scale": "0"}),
        "min-scale: at least 1: its Kafka reader must run without HTTP traffic",
    ),
    "no-timeout": (lambda b: _spec(b).pop("timeoutSeconds"), "spec.template.spec.timeoutSeconds: set it for streams"),
    "timeout-past-the-default-maximum": (
        lambda b: _spec(b).update(timeoutSeconds=3600),
        "at most 600 (max-revision-timeout-seconds)",
    ),
    "no-response-start-timeout": (
        lambda b: _spec(b).pop("responseStartTimeoutSeconds"),
        "spec.template.spec.responseStartTimeoutSeconds: set it",
    ),
    "streams-queued": (lambda b: _spec(b).update(containerConcurrency=10), "containerConcurrency: 0: every open stream"),
    "functions-image": (
        lambda b: _spec(b)["containers"][0].update(image="learnflow-functions"),
        "use 'learnflow-gateway'",
    ),
    "writable-root": (
        lambda b: _spec(b)["containers"][0]["securityContext"].update(readOnlyRootFilesystem=False),
        "securityContext.readOnlyRootFilesystem: must be true",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_gateway_service_is_caught(case: str, tmp_path: Path) -> None:
    change, expected = CASES[case]
    root = project_copy(tmp_path)
    edit(root, GATEWAY, change)
    said = [str(p) for p in check(root, render=False).problems]
    assert any(s.startswith(f"{GATEWAY}: Service/learner-gateway: ") and expected in s for s in said), "\n".join(said)


def test_the_project_gateway_is_valid_and_no_function() -> None:
    problems = [str(p) for p in check(ROOT, render=False).problems if GATEWAY in str(p)]
    assert problems == []
    service = load_knative(ROOT).services["learner-gateway"]
    assert service.min_scale >= 1 and not service.target and not service.source


def test_no_cluster_manifest_switches_token_minting_on() -> None:
    for service in load_knative(ROOT).services.values():
        assert "LEARNFLOW_GATEWAY_DEV_SESSIONS" not in service.env, service.name


def test_the_cluster_gateway_takes_tokens_from_an_https_issuer() -> None:
    gateway = load_knative(ROOT).services["learner-gateway"]
    assert str(gateway.env[ISSUER]).startswith("https://") and gateway.env[AUDIENCE]
    assert not {"LEARNFLOW_GATEWAY_JWT_KEY", "LEARNFLOW_GATEWAY_JWT_KEY_FILE"} & set(gateway.env)


POLICY = "knative/network-policies/learner-gateway.yaml"
IDP_RULE = {"to": [{"namespaceSelector": {"matchLabels": {"learnflow.dev/identity-provider": "true"}}}]}


@pytest.mark.parametrize(
    ("where", "rule", "expected"),
    [
        (POLICY, {**IDP_RULE, "ports": [{"protocol": "TCP", "port": 80}]}, "NetworkPolicy/learner-gateway: spec.egress[3]"),
        ("knative/network-policies/triage.yaml", {**IDP_RULE, "ports": [{"port": 443}]}, "NetworkPolicy/triage: spec.egress[2]"),
    ],
    ids=["gateway-to-the-provider-over-plain-http", "a-function-to-the-provider"],
)
def test_only_the_gateway_reaches_the_identity_provider_and_over_https(
    where: str, rule: Body, expected: str, tmp_path: Path
) -> None:
    root = project_copy(tmp_path)
    edit(root, where, lambda b: b["spec"]["egress"].append(rule))
    said = [str(p) for p in check(root, render=False).problems]
    assert any(expected in s and "goes to neither the cluster DNS" in s for s in said), "\n".join(said)
