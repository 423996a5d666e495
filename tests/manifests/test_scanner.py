"""The manifest scanner: Knative pods as checkov sees them, its report, and a real scan.

The scan tests run checkov itself (the Makefile builds it in .venv-tools). `make test`
passes its path in LEARNFLOW_CHECKOV, and then a missing checkov fails the tests; a bare
pytest without it skips them, saying why.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from learnflow.local.manifest_check._scanner import CHECKOV_ENV, KNATIVE_SKIPS, find_checkov, knative_pods, parse, scan

from ._tree import ROOT, edit, project_copy

SERVICE: dict[str, Any] = {
    "apiVersion": "serving.knative.dev/v1",
    "kind": "Service",
    "metadata": {"name": "triage", "namespace": "learnflow", "annotations": {"checkov.io/skip1": "CKV_K8S_8=a reason"}},
    "spec": {
        "template": {
            "metadata": {"labels": {"app": "t"}, "annotations": {"autoscaling.knative.dev/max-scale": "1"}},
            "spec": {
                "containerConcurrency": 3,
                "timeoutSeconds": 10,
                "automountServiceAccountToken": False,
                "containers": [{"name": "function", "image": "learnflow-functions"}],
            },
        }
    },
}


def test_a_knative_service_becomes_the_pod_knative_runs() -> None:
    (pod,) = knative_pods([SERVICE, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}])
    assert pod["kind"] == "Pod" and pod["metadata"]["name"] == "triage" and pod["metadata"]["namespace"] == "learnflow"
    # Labelled as Knative labels revision pods, so NetworkPolicies select it as they would.
    assert pod["metadata"]["labels"] == {"app": "t", "serving.knative.dev/service": "triage"}
    # Knative's own fields are not a Pod's; the rest of the template is the pod spec.
    assert pod["spec"] == {
        "automountServiceAccountToken": False,
        "containers": [{"name": "function", "image": "learnflow-functions"}],
    }


def test_the_services_own_skips_stay_and_knatives_follow_them() -> None:
    (pod,) = knative_pods([SERVICE])
    notes = pod["metadata"]["annotations"]
    assert notes["checkov.io/skip1"] == "CKV_K8S_8=a reason"
    added = [notes[f"checkov.io/skip{n}"] for n in range(2, 2 + len(KNATIVE_SKIPS))]
    assert [a.split("=", 1)[0] for a in added] == list(KNATIVE_SKIPS)
    assert all(a.split("=", 1)[1] for a in added)
    assert SERVICE["metadata"]["annotations"] == {"checkov.io/skip1": "CKV_K8S_8=a reason"}  # not mutated


def _entry(check: str, resource: str, file: str, comment: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"result": "SKIPPED" if comment is not None else "PASSED"}
    if comment is not None:
        result["suppress_comment"] = comment
    return {"check_id": check, "check_name": f"title of {check}", "resource": resource, "file_path": file, "check_result": result}


def _output(passed: list[Any], failed: list[Any], skipped: list[Any], errors: list[str] | None = None) -> dict[str, Any]:
    return {
        "check_type": "kubernetes",
        "results": {"passed_checks": passed, "failed_checks": failed, "skipped_checks": skipped, "parsing_errors": errors or []},
        "summary": {"checkov_version": "3.3.30"},
    }


def test_a_clean_report_with_reasoned_skips_is_ok() -> None:
    report = parse(
        json.dumps(
            [
                _output([_entry("CKV_K8S_1", "Pod.learnflow.triage", "/learnflow-scan-x/knative-pods.yaml")], [], []),
                _output([], [], [_entry("CKV_DOCKER_2", "/Dockerfile.", "/Dockerfile", "probes replace it")]),
            ]
        )
    )
    assert report.ok, str(report)
    assert (report.version, report.passed, report.files) == ("3.3.30", 1, {"knative-pods.yaml", "Dockerfile"})
    assert str(report).splitlines()[1] == "skipped CKV_DOCKER_2 /Dockerfile. (Dockerfile): probes replace it"


def test_a_failed_check_and_a_skip_without_reason_are_problems() -> None:
    failed = _entry("CKV_K8S_23", "Deployment.learnflow.learnflow-monitor", "/x/monitoring.yaml")
    bare = _entry("CKV_K8S_43", "Pod.learnflow.triage", "/x/knative-pods.yaml", "No comment provided")
    report = parse(json.dumps(_output([], [failed], [bare], ["/x/broken.yaml"])))
    assert [str(p) for p in report.problems] == [
        "monitoring.yaml: Deployment.learnflow.learnflow-monitor: CKV_K8S_23: failed: title of CKV_K8S_23",
        "knative-pods.yaml: Pod.learnflow.triage: CKV_K8S_43: skipped without a reason",
        "checkov: (run): cannot parse /x/broken.yaml",
    ]


def test_the_checkov_of_make_test_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHECKOV_ENV, "/opt/tools/checkov")
    assert find_checkov(tmp_path) == "/opt/tools/checkov"
    monkeypatch.delenv(CHECKOV_ENV)
    (tmp_path / ".venv-tools/bin").mkdir(parents=True)
    (tmp_path / ".venv-tools/bin/checkov").write_text("")
    assert find_checkov(tmp_path) == str(tmp_path / ".venv-tools/bin/checkov")


def _checkov() -> str:
    found = find_checkov(ROOT)
    if found is None or not Path(found).is_file():
        if os.environ.get(CHECKOV_ENV):
            pytest.fail(f"{CHECKOV_ENV}={os.environ[CHECKOV_ENV]} does not exist: the Makefile should have built it")
        pytest.skip("checkov is not installed: `make test` (or `make scan`) builds it in .venv-tools")
    return found


def test_the_project_scans_clean() -> None:
    report = scan(ROOT, _checkov())
    assert report.ok, str(report)
    assert report.passed > 100
    assert {"knative-pods.yaml", "monitoring.yaml", "Dockerfile"} <= report.files
    # Every skip is Knative's own (the same for every Service) or written next to its resource.
    written = {("Deployment.learnflow.learnflow-monitor", "CKV_K8S_43")}
    for skip in report.skipped:
        assert (skip.check in KNATIVE_SKIPS and skip.file == "knative-pods.yaml") or (skip.resource, skip.check) in written, skip


def test_a_root_exporter_and_a_privileged_function_fail_the_scan(tmp_path: Path) -> None:
    checkov = _checkov()
    root = project_copy(tmp_path)

    def as_root(body: dict[str, Any]) -> None:
        pod = body["spec"]["template"]["spec"]
        pod["securityContext"].update(runAsNonRoot=False, runAsUser=0)
        pod["containers"][0]["securityContext"].update(runAsNonRoot=False, runAsUser=0)

    edit(root, "monitoring/monitor-deployment.yaml", as_root)
    # Knative Services are not pods to checkov: this proves their pod specs are scanned.
    edit(
        root,
        "knative/code-execution.yaml",
        lambda b: b["spec"]["template"]["spec"]["containers"][0]["securityContext"].update(allowPrivilegeEscalation=True),
    )
    report = scan(root, checkov)
    failed = {(f.resource, f.check) for f in report.failed}
    assert ("Deployment.learnflow.learnflow-monitor", "CKV_K8S_23") in failed, str(report)  # root containers
    assert ("Pod.learnflow.code-execution", "CKV_K8S_20") in failed, str(report)  # privilege escalation
    assert not report.ok
