"""The official AsyncAPI parser (tools/asyncapi) on the document, and on copies broken on purpose.

Needs node and the parser installed by ``npm ci`` in tools/asyncapi, which ``make test``
does first; elsewhere these tests skip and say so.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from learnflow.events import TOPICS
from learnflow.local import asyncapi
from learnflow.local.asyncapi._examples import DOCUMENTS
from learnflow.local.manifests import KafkaTopic, load_eventing

from ..support.verdicts import VERDICT, VERDICTS
from ._tree import ROOT

TOOLS = ROOT / "tools" / "asyncapi"
DOCUMENT = ROOT / "eventing" / "asyncapi.yaml"


def _parse(path: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (TOOLS / "node_modules" / "@asyncapi" / "parser").is_dir():
        pytest.skip("needs node and `npm ci --ignore-scripts` in tools/asyncapi (make test does both)")
    return subprocess.run(
        [node, str(TOOLS / "validate.mjs"), str(path)], capture_output=True, text=True, timeout=110, check=False
    )


def _broken(tmp_path: Path, change: Any) -> Path:
    doc = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "asyncapi.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_the_document_parses_without_errors_or_warnings() -> None:
    result = _parse(DOCUMENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid AsyncAPI 3.1.0" in result.stdout
    assert "no errors or warnings" in result.stdout


def test_a_kafka_binding_of_the_wrong_type_fails(tmp_path: Path) -> None:
    def partitions_as_text(doc: dict[str, Any]) -> None:
        doc["channels"]["learningEvents"]["bindings"]["kafka"]["partitions"] = "3"

    result = _parse(_broken(tmp_path, partitions_as_text))
    assert result.returncode == 1
    assert "channels.learningEvents.bindings.kafka.partitions" in result.stdout
    assert "must be integer" in result.stdout


def test_an_operation_with_a_message_its_channel_lacks_fails(tmp_path: Path) -> None:
    def stray_message(doc: dict[str, Any]) -> None:
        doc["operations"]["triageSendsStruggleDetected"]["messages"] = [
            {"$ref": "#/channels/learningEvents/messages/exerciseStarted"}
        ]

    result = _parse(_broken(tmp_path, stray_message))
    assert result.returncode == 1
    assert "asyncapi3-operation-messages-from-referred-channel" in result.stdout


def test_a_reference_outside_the_document_fails_without_fetching_it(tmp_path: Path) -> None:
    def remote_trait(doc: dict[str, Any]) -> None:
        doc["components"]["messages"]["codeSubmitted"]["traits"] = [{"$ref": "https://example.invalid/cloudevents.yaml"}]

    result = _parse(_broken(tmp_path, remote_trait))
    assert result.returncode == 1
    assert "outside-ref: https://example.invalid/cloudevents.yaml" in result.stdout


def test_a_nested_tagged_union_passes_the_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What struggle.detected's optional evidence is: a union told apart by a tag, inside data.
    monkeypatch.setitem(DOCUMENTS, "verdict.given", VERDICT)
    eventing = load_eventing(ROOT)
    declared = {**eventing.topics, "verdicts": KafkaTopic(name="verdicts", partitions=1, replicas=1)}
    doc = asyncapi.build(
        {**TOPICS, "verdicts": VERDICTS}, dataclasses.replace(eventing, topics=declared), asyncapi.PARTICIPANTS, "0"
    )
    path = tmp_path / "asyncapi.yaml"
    path.write_text(asyncapi.render(doc), encoding="utf-8")
    result = _parse(path)
    assert result.returncode == 0, result.stdout + result.stderr
