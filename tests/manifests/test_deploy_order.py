"""`make deploy` applies the folders the checks validate, in the order docs/deploy.md gives.

``make -n`` prints the recipe without running it: no cluster is needed to read the order.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from learnflow.local.manifest_check._kafka_cluster import DEV_EVENTING, DEV_KAFKA
from learnflow.local.manifest_check._kustomize import FOLDERS
from learnflow.local.manifests import load_eventing

from ._tree import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")


def kubectl_steps(*variables: str) -> list[str]:
    out = subprocess.run(
        ["make", "-n", "deploy", "SKIP_BUILD=1", *variables], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return re.findall(r"kubectl ((?:apply -k|wait) \S+)", out)


def test_without_kafka_the_cluster_is_left_alone() -> None:
    assert kubectl_steps() == [
        "apply -k build/deploy",
        "wait --for=condition=Ready",
        "apply -k eventing/data-plane",
        "apply -k eventing",
    ]


def test_with_kafka_the_cluster_is_applied_and_ready_first() -> None:
    assert kubectl_steps("WITH_KAFKA=1") == [
        "apply -k eventing/kafka",
        "wait kafka/learnflow-kafka",
        "apply -k build/deploy",
        "wait --for=condition=Ready",
        "apply -k eventing/data-plane",
        "apply -k eventing",
    ]


def test_dev_deploys_the_one_node_overlay() -> None:
    steps = kubectl_steps("WITH_KAFKA=1", "DEV=1")
    assert steps[:2] == [f"apply -k {DEV_KAFKA}", "wait kafka/learnflow-kafka"]
    assert steps[-1] == f"apply -k {DEV_EVENTING}"


def test_every_folder_deploy_applies_is_one_the_checks_render() -> None:
    runs = ((), ("WITH_KAFKA=1",), ("WITH_KAFKA=1", "DEV=1"))
    applied = {s.removeprefix("apply -k ") for v in runs for s in kubectl_steps(*v) if s.startswith("apply")}
    assert applied - {"build/deploy"} <= {*FOLDERS, DEV_KAFKA, DEV_EVENTING}


def test_the_data_plane_bound_docs_deploy_states_is_the_one_the_manifests_and_the_local_dispatchers_use() -> None:
    bound = load_eventing(ROOT).max_poll_records
    said = re.findall(r"max\.poll\.records=(\d+)", (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8"))
    assert said and {int(n) for n in said} == {bound}, said
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`max.poll.records={bound}`" in readme
