"""The manifest loader given broken manifests: a ConfigurationError naming the file, never anything else.

Covered elsewhere (tests/manifests/test_loader.py, tests/manifests/test_broken_copies.py):
malformed YAML, a KafkaSource whose sink or dead-letter sink names nothing declared, a
missing delivery block, a bad duration, offset or retry type, a file the kustomization
lists but that does not exist. Here: any mutation of a KafkaSource (hypothesis), bytes
that are not text, a document that is not a mapping, a kustomization without a list.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnflow.events import ConfigurationError
from learnflow.local.manifests import load_eventing

from ..fuzz.strategies import json_values
from ..manifests._tree import project_copy
from ..support.fuzzing import examples

SOURCE = "eventing/sources/triage.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_copy(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def original(project: Path) -> dict[str, Any]:
    return yaml.safe_load((project / SOURCE).read_text())


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for k, v in items:
        out.append((*prefix, k))
        out.extend(_paths(v, (*prefix, k)))
    return out


@st.composite
def mutations(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        *parents, leaf = draw(st.sampled_from(paths))
        node: Any = doc
        for p in parents:
            node = node[p]
        if draw(st.booleans()):
            del node[leaf]
        else:
            node[leaf] = draw(json_values)
    return doc


def _assert_loads_or_names_the_file(root: Path) -> None:
    try:
        load_eventing(root)
    except ConfigurationError as exc:
        assert str(exc).startswith(f"{SOURCE}: "), exc


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_mutated_kafkasource_loads_or_fails_naming_the_file(
    project: Path, original: dict[str, Any], data: st.DataObject
) -> None:
    mutated = data.draw(mutations(original))
    (project / SOURCE).write_text(yaml.safe_dump(mutated, sort_keys=False))
    _assert_loads_or_names_the_file(project)


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe not text", b"- just\n- a list\n", b"42\n", b"kind: [unclosed\n"],
    ids=["not-utf8", "a-list", "a-number", "malformed"],
)
def test_a_source_file_that_is_not_a_manifest_names_the_file(project: Path, content: bytes) -> None:
    (project / SOURCE).write_bytes(content)
    with pytest.raises(ConfigurationError, match=f"^{SOURCE}: "):
        load_eventing(project)


def test_a_kustomization_without_a_resource_list(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    (root / "eventing/kustomization.yaml").write_text("resources: sources/triage.yaml\n")
    with pytest.raises(ConfigurationError, match=r"kustomization\.yaml: resources: expected a list of files"):
        load_eventing(root)
