"""How a process's tracing is configured from the standard OTEL_* variables (pure parts)."""

from __future__ import annotations

import pytest

from learnflow.serverless import exports
from learnflow.serverless._telemetry import service_resource, tracing_disabled


def test_spans_are_exported_only_when_an_endpoint_is_set():
    assert not exports({})
    assert not exports({"OTEL_EXPORTER_OTLP_ENDPOINT": "  "})
    assert exports({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert exports({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"})


@pytest.mark.parametrize(("value", "disabled"), [("true", True), ("TRUE", True), ("false", False), ("", False)])
def test_the_sdk_is_disabled_only_by_true(value, disabled):
    assert tracing_disabled({"OTEL_SDK_DISABLED": value}) is disabled


def test_the_service_is_named_after_the_producer_unless_the_environment_names_it(monkeypatch):
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.delenv("OTEL_RESOURCE_ATTRIBUTES", raising=False)
    assert service_resource("triage").attributes["service.name"] == "triage"
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes,deployment.environment=dev")
    resource = service_resource("triage")
    assert resource.attributes["service.name"] == "from-attributes"
    assert resource.attributes["deployment.environment"] == "dev"
    monkeypatch.setenv("OTEL_SERVICE_NAME", "from-name")
    assert service_resource("triage").attributes["service.name"] == "from-name"
