"""The knowledge base: complete, well-formed, and every example prints exactly its output."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from functions.concepts.knowledge_base import KNOWLEDGE_DIR, KnowledgeBaseError, load_knowledge_base
from learnflow.events import FALLBACK_CONCEPT, Concept, SuggestedAction

KB = load_knowledge_base()
EXAMPLES = KB.examples()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_prints_exactly_its_stated_output(name: str, tmp_path: Path) -> None:
    example = EXAMPLES[name]
    # -I: no user site, no PYTHON* variables, no cwd on sys.path; a fresh directory each.
    run = subprocess.run(
        [sys.executable, "-I", "-c", example.code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=30,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == example.output


def test_every_published_concept_has_an_entry() -> None:
    assert set(KB.entries) == {c.value for c in Concept}
    assert FALLBACK_CONCEPT.value in KB.entries


def test_every_action_has_a_layout() -> None:
    assert set(KB.layouts) == set(SuggestedAction)


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def test_a_missing_field_names_file_and_field(tmp_path: Path) -> None:
    kb_dir = _copy_kb(tmp_path)
    path = kb_dir / "recursion.yaml"
    path.write_text(path.read_text().replace("  output: |", "  outptu: |"))
    with pytest.raises(KnowledgeBaseError, match=r"recursion\.yaml: example\.output: Field required"):
        load_knowledge_base(kb_dir)


def test_an_entry_for_an_unpublished_concept_is_refused(tmp_path: Path) -> None:
    kb_dir = _copy_kb(tmp_path)
    text = (kb_dir / "lists.yaml").read_text().replace("concept: lists", "concept: decorators")
    (kb_dir / "decorators.yaml").write_text(text)
    with pytest.raises(KnowledgeBaseError, match=r"decorators\.yaml: concept: 'decorators' is not in"):
        load_knowledge_base(kb_dir)


def test_an_unknown_section_in_a_layout_is_refused(tmp_path: Path) -> None:
    kb_dir = _copy_kb(tmp_path)
    path = kb_dir / "_actions.yaml"
    path.write_text(path.read_text().replace("sections: [hint, summary]", "sections: [hint, jokes]"))
    with pytest.raises(KnowledgeBaseError, match=r"_actions\.yaml: suggest_break: sections\[1\]"):
        load_knowledge_base(kb_dir)


def test_unparsable_yaml_names_the_file(tmp_path: Path) -> None:
    kb_dir = _copy_kb(tmp_path)
    (kb_dir / "tuples.yaml").write_text("concept: [unclosed\n")
    with pytest.raises(KnowledgeBaseError, match=r"tuples\.yaml: unreadable"):
        load_knowledge_base(kb_dir)
