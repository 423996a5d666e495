"""The exercise catalogue: the issue's form is accepted, the default one is sound, a broken one says where."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import yaml

from functions._exercises import DEFAULT_CATALOGUE
from functions.code_execution.settings import sandbox_settings
from learnflow.events import Catalogue, CatalogueError, Concept, load_catalogue, parse_catalogue
from learnflow.local.runtime.stack import LocalStack, StackOptions

from ..support.machine import sandbox_override

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "tests" / "data" / "exercises" / "solutions.yaml"

ISSUE_FORM = """\
exercises:
  - id: 6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90   # a UUID: the seed's exerciseId
    title: Sum of evens
    prompt: Write sum_evens(numbers), which returns the sum of the even numbers in the list.
    concepts: [for_loops, conditionals]        # ids of the published concept list
    starter: "def sum_evens(numbers):\\n    pass\\n"
    checks:
      - name: prints the total of 1..10's evens
        stdout: "30\\n"                          # the whole output; trailing spaces and final newlines ignored
      - name: sum_evens([1, 2, 3, 4])
        call: sum_evens                         # run the program, then call this function of it
        args: [[1, 2, 3, 4]]                    # JSON values
        returns: 6                              # compared as JSON values
      - name: an empty list
        call: sum_evens
        args: [[]]
        returns: 0
        hidden: true                            # its values are never shown to the learner
"""


def _one(check: str) -> str:
    return (
        "exercises:\n  - id: 6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90\n    title: T\n    prompt: P\n"
        f"    concepts: [functions]\n    checks:\n      - name: c\n{check}"
    )


def test_the_issues_form_is_accepted() -> None:
    catalogue = parse_catalogue(ISSUE_FORM, "issue.yaml")
    (exercise,) = catalogue.exercises
    assert exercise.concepts == [Concept.FOR_LOOPS, Concept.CONDITIONALS]
    stdout, visible, hidden = exercise.checks
    assert stdout.stdout == "30\n" and stdout.call is None
    assert (visible.call, visible.args, visible.returns, visible.hidden) == ("sum_evens", [[1, 2, 3, 4]], 6, False)
    assert hidden.hidden and hidden.returns == 0
    assert catalogue.get(uuid.UUID("6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90")) is exercise
    assert catalogue.get(uuid.uuid4()) is None


def test_returns_null_is_an_expected_none() -> None:
    (check,) = parse_catalogue(_one("        call: f\n        returns: null\n"), "x").exercises[0].checks
    assert check.returns is None and check.args == []


@pytest.mark.parametrize(
    ("check", "field", "words"),
    [
        ("        call: f\n        args: [1]\n", "checks.0", "needs returns"),
        ("        stdout: hi\n        call: f\n        returns: 1\n", "checks.0", "either stdout or call"),
        ("        hidden: true\n", "checks.0", "either stdout or call"),
        ("        call: f\n        return: 1\n", "checks.0.return", "Extra inputs are not permitted"),
        ("        call: not a name\n        returns: 1\n", "checks.0.call", "String should match pattern"),
        ("        stdout: hi\n        returns: 1\n", "checks.0", "belong to call checks"),
    ],
)
def test_a_broken_check_names_the_file_the_exercise_and_the_field(check: str, field: str, words: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(_one(check), "my/curriculum.yaml")
    message = str(caught.value)
    assert message.startswith("my/curriculum.yaml: invalid exercise catalogue: ")
    assert f"exercise 1 (6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90, 'T'): {field}" in message
    assert words in message


def test_an_unknown_concept_and_a_repeated_id_are_refused() -> None:
    with pytest.raises(CatalogueError, match=r"exercise 1 .*: concepts\.0: Input should be"):
        parse_catalogue(_one("        stdout: x\n").replace("[functions]", "[monads]"), "c.yaml")
    twice = _one("        stdout: x\n") + _one("        stdout: x\n").split("exercises:\n", 1)[1]
    with pytest.raises(CatalogueError, match="appears twice"):
        parse_catalogue(twice, "c.yaml")


def test_a_file_that_is_missing_or_not_yaml_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=re.escape(str(tmp_path / "none.yaml")) + ": cannot read"):
        load_catalogue(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("exercises: [", encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(str(bad)) + ": not YAML"):
        load_catalogue(bad)


def test_the_default_catalogue_covers_the_beginner_half_and_keeps_the_pages_ids() -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE)
    assert len(catalogue.exercises) >= 12
    members = list(Concept)
    beginner = set(members[: len(members) // 2])
    covered = {c for e in catalogue.exercises for c in e.concepts} & beginner
    assert len(covered) >= 9, sorted(covered)
    page = (ROOT / "learnflow" / "gateway" / "static" / "app.js").read_text(encoding="utf-8")
    page_ids = re.findall(r'id: "([0-9a-f-]{36})"', page)
    assert page_ids and all(catalogue.get(uuid.UUID(i)) for i in page_ids)
    # Most exercises keep a hidden check: the ones a hard-coded answer cannot know.
    assert sum(any(c.hidden for c in e.checks) for e in catalogue.exercises) >= 12


def test_the_clusters_configmap_copy_is_the_default_catalogue() -> None:
    assert (ROOT / "knative" / "exercises" / "catalogue.yaml").read_bytes() == DEFAULT_CATALOGUE.read_bytes()


def test_every_exercise_has_a_reference_and_two_wrong_solutions() -> None:
    catalogue: Catalogue = load_catalogue(DEFAULT_CATALOGUE)
    entries = yaml.safe_load(SOLUTIONS.read_text(encoding="utf-8"))
    by_id = {uuid.UUID(e["exercise"]): e for e in entries}
    assert set(by_id) == {e.id for e in catalogue.exercises}
    for entry in entries:
        assert entry["right"] and len(entry["wrong"]) >= 2, entry["exercise"]


def test_learnflow_exercises_replaces_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(ISSUE_FORM, encoding="utf-8")
    assert sandbox_settings().exercises == DEFAULT_CATALOGUE
    monkeypatch.setenv("LEARNFLOW_EXERCISES", str(mine))
    assert [e.title for e in sandbox_settings().catalogue().exercises] == ["Sum of evens"]


def test_learnflow_up_gives_the_catalogue_to_the_services_that_read_it(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    stack = LocalStack(StackOptions(exercises=mine, function_env=sandbox_override()))
    environments = stack._environments({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "KAFKA_BROKER_KIND": "embedded"})
    for name in ("code-execution", "code-execution-direct", "triage"):
        assert environments[name].values["LEARNFLOW_EXERCISES"] == str(mine.resolve())
        assert environments[name].overridden["LEARNFLOW_EXERCISES"] == "runtime"  # the ConfigMap's path, in a cluster
    assert "LEARNFLOW_EXERCISES" not in environments["concepts"].values
    assert LocalStack(StackOptions()).options.exercises_file == DEFAULT_CATALOGUE.resolve()
