"""docs/diagnoses.md is what the table, its examples and the templates say, every diagnosis in it."""

from __future__ import annotations

from functions.triage.diagnoses import DIAGNOSES

from ...support.diagnoses_doc import DOC, render


def test_the_document_is_generated_from_the_table() -> None:
    assert DOC.read_text() == render(), "docs/diagnoses.md is out of date: python -m tests.support.diagnoses_doc --write"


def test_every_diagnosis_is_listed_with_an_example() -> None:
    text = DOC.read_text()
    for row in DIAGNOSES:
        section = text.split(f"### `{row.id}`\n", 1)[1].split("\n### ", 1)[0]
        assert ("Python: `" in section or "Check: " in section) and "**Next step:**" in section, row.id
