"""The explanation of a wrong answer: the failing check, expected against got, what it points to, a next step."""

from __future__ import annotations

import uuid

from functions.concepts.explain import explain_struggle
from functions.concepts.explainer import KnowledgeBaseExplainer
from functions.concepts.knowledge_base import load_knowledge_base
from learnflow.events import HelpExplanation, StruggleDetected, new_event

KB = load_knowledge_base()


def _explained(evidence: dict[str, object]) -> str:
    struggle = new_event(
        StruggleDetected,
        user_id=uuid.uuid4(),
        data={
            "struggleType": "logic_error",
            "concept": "for_loops",
            "confidence": 0.85,
            "suggestedAction": "give_hint",
            "evidence": {"sourceEventType": "code.executed", "status": "ok", **evidence},
        },
    )
    [out] = explain_struggle(struggle, KB, KnowledgeBaseExplainer(KB))
    assert isinstance(out, HelpExplanation)
    return out.data.body


def test_a_visible_check_is_named_with_expected_against_got_and_a_next_step() -> None:
    body = _explained(
        {
            "diagnosis": "one_item_short",
            "facts": {"check": "countdown(3)", "expected": "[3, 2, 1]", "got": "[3, 2]", "missing": "1", "call": "countdown"},
            "check": {"name": "countdown(3)", "expected": "[3, 2, 1]", "got": "[3, 2]"},
        }
    )
    assert "**Check failed:** countdown(3)" in body
    assert "expected: `[3, 2, 1]`" in body and "got: `[3, 2]`" in body
    assert "one item, `1`, is missing" in body and "**Next step:**" in body
    assert "Line " not in body.split("**Next step:**")[0]  # no failing line: the program ran


def test_a_hidden_check_is_named_without_its_values() -> None:
    body = _explained(
        {
            "diagnosis": "hidden_check_failed",
            "facts": {"check": "from zero", "call": "countdown"},
            "check": {"name": "from zero", "hidden": True},
        }
    )
    assert "**Hidden check failed:** from zero" in body
    assert "expected:" not in body and "got:" not in body


def test_a_diagnosis_this_knowledge_base_lacks_still_shows_the_check() -> None:
    body = _explained({"diagnosis": "a_future_row", "facts": {"check": "c"}, "check": {"name": "c", "expected": "1", "got": "2"}})
    assert "**Check failed:** c" in body and "expected: `1`" in body
    assert 'The check "c" expected `1` and got `2`' in body  # the general wrong answer's reading
