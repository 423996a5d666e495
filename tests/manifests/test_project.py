"""The project's own manifests: valid, in step with the registry, and as the seed says."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from learnflow.events import all_topic_partitions
from learnflow.local.manifest_check import check
from learnflow.local.manifest_check._dockerfile import instructions
from learnflow.local.manifest_check._kustomize import find_kubectl
from learnflow.local.manifests import load_eventing, load_knative
from learnflow.local.runtime.policy import backoff_delay

from ._tree import ROOT, project_copy

CRDS = ROOT / "learnflow" / "local" / "crds"


def test_every_manifest_is_valid() -> None:
    report = check(ROOT)
    assert report.ok, str(report)
    assert len(report.checked) >= 30


def test_an_untouched_copy_is_valid(tmp_path: Path) -> None:
    # The broken-copy tests rely on the copy being valid before they break it.
    report = check(project_copy(tmp_path), render=False)
    assert report.ok, str(report)


def test_kafka_topics_match_the_registry() -> None:
    topics = load_eventing(ROOT).topics
    assert {t.name: t.partitions for t in topics.values()} == all_topic_partitions()


def test_each_seed_topic_reaches_its_function() -> None:
    eventing = load_eventing(ROOT)
    route = {s.topics: (s.sink.service, s.consumer_group) for s in eventing.sources.values()}
    assert route == {
        ("code-submitted",): ("code-execution", "learnflow-code-execution"),
        ("learning-events",): ("triage", "learnflow-triage"),
        ("struggle-detected",): ("concepts", "learnflow-concepts"),
    }


def test_delivery_is_the_seeds_1_2_4_seconds() -> None:
    for source in load_eventing(ROOT).sources.values():
        d = source.delivery
        assert [backoff_delay(d.backoff_policy, d.backoff_delay, k) for k in range(1, d.retry + 1)] == [1.0, 2.0, 4.0]
        assert d.dead_letter_sink.topic == source.topics[0] + ".dlq"


def test_services_select_their_functions() -> None:
    services = load_knative(ROOT).services
    functions = {n: s for n, s in services.items() if n != "learner-gateway"}  # not a function
    assert {n: (s.target, s.signature_type, s.source) for n, s in functions.items()} == {
        "code-execution": ("handle", "cloudevent", "functions/code_execution/main.py"),
        "code-execution-direct": ("execute", "http", "functions/code_execution/main.py"),
        "triage": ("handle", "cloudevent", "functions/triage/main.py"),
        "concepts": ("handle", "cloudevent", "functions/concepts/main.py"),
    }


def _sources_table() -> dict[str, str]:
    text = (CRDS / "SOURCES.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{40})` \|$", text, re.M)
    return dict(rows)


def test_schema_copies_are_the_upstream_blobs() -> None:
    table = _sources_table()
    copies = sorted(p.name for p in CRDS.iterdir() if p.suffix in (".yaml", ".json"))
    assert sorted(table) == copies
    for name, blob in table.items():
        data = (CRDS / name).read_bytes()
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == blob, name


def test_dockerfile_invariants() -> None:
    steps = {(word, args) for _, word, args in instructions((ROOT / "Dockerfile").read_text())}
    assert ("USER", "10001") in steps
    assert ("EXPOSE", "8080") in steps
    assert ("CMD", '["functions-framework"]') in steps
    assert not any("FUNCTION_TARGET" in args for word, args in steps if word != "RUN")


@pytest.mark.skipif(find_kubectl() is None, reason="kubectl not installed")
def test_image_is_overridable_in_one_place(tmp_path: Path) -> None:
    # The overlay `make deploy` writes: kustomize only accepts a relative base, and
    # the base has already renamed the placeholder to its default, so that is matched.
    shutil.copytree(ROOT / "knative", tmp_path / "knative")
    defaults = {i["name"]: i["newName"] for i in yaml.safe_load((ROOT / "knative/kustomization.yaml").read_text())["images"]}
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "resources": ["../knative"],
                "images": [
                    {"name": defaults["learnflow-functions"], "newName": "registry.test/lf", "newTag": "9"},
                    {"name": defaults["learnflow-gateway"], "newName": "registry.test/gw", "newTag": "9"},
                ],
            }
        )
    )
    kubectl = find_kubectl()
    assert kubectl
    out = subprocess.run([kubectl, "kustomize", str(tmp_path / "deploy")], capture_output=True, text=True, check=True).stdout
    images = re.findall(r"image: (\S+)", out)
    assert sorted(images) == ["registry.test/gw:9"] + ["registry.test/lf:9"] * 4
