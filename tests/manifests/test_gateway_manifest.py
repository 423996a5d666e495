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


def _key_file(b: Body) -> Body:
    return next(e for e in env(b) if e["name"] == "LEARNFLOW_GATEWAY_JWT_KEY_FILE")


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
    "key-file-missing": (
        lambda b: env(b).remove(_key_file(b)),
        "env.LEARNFLOW_GATEWAY_JWT_KEY_FILE: must name a file in a mounted Secret volume",
    ),
    "key-file-outside-the-secret": (
        lambda b: _key_file(b).update(value="/tmp/signingKey"),
        "env.LEARNFLOW_GATEWAY_JWT_KEY_FILE: must name a file in a mounted Secret volume",
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
