"""Every function target answers the GET probes ``kn func deploy`` gives it (func.yaml
``deploy.healthEndpoints``) with 200, while everything else it answers is unchanged."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import yaml
from flask.testing import FlaskClient
from functions_framework import create_app

from learnflow.local._function_server import FUNCTIONS_ROOT, FunctionServer
from learnflow.local.manifests import KnativeService, load_knative
from learnflow.serverless import PROBE_PATHS

ROOT = FUNCTIONS_ROOT.parent
# Every function target a Knative Service runs (code-execution, code-execution-direct, concepts, triage);
# the learner gateway is no function and has probes of its own (/healthz, /readyz).
SERVICES = sorted((s for s in load_knative(ROOT).services.values() if s.source), key=lambda s: s.name)  # not the gateway


def client_of(service: KnativeService) -> FlaskClient:
    return create_app(service.target, str(ROOT / service.source), service.signature_type).test_client()


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_probe_paths_answer_get_and_head(service):
    client = client_of(service)
    for path in PROBE_PATHS:
        assert client.get(path).status_code == 200, path
        assert client.head(path).status_code == 200, path


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_the_function_routes_are_unchanged(service):
    client = client_of(service)
    if service.signature_type == "cloudevent":
        assert client.get("/").status_code == 405  # still POST only
    for path in ("/", *PROBE_PATHS):
        # A POST anywhere, probe paths included, still reaches the function: not JSON is poison.
        answer = client.post(path, data=b"not json", headers={"content-type": "application/json"})
        assert answer.status_code == 400, path
        assert answer.get_json()["error"] == "invalid_event"


@pytest.mark.parametrize("folder", ["triage", "concepts", "code_execution"])
def test_func_yaml_probes_the_served_paths(folder):
    func = yaml.safe_load((FUNCTIONS_ROOT / folder / "func.yaml").read_text())
    endpoints = func["deploy"]["healthEndpoints"]
    assert {endpoints["liveness"], endpoints["readiness"]} == set(PROBE_PATHS)


def test_a_real_server_answers_the_probes(function_server: Callable[..., FunctionServer]):
    server = function_server("triage")
    for path in PROBE_PATHS:
        assert httpx.get(server.url.rstrip("/") + path).status_code == 200
