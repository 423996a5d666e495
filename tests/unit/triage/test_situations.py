"""The situations table: every learner situation in situations/*.yaml, through the real rules."""

from __future__ import annotations

from collections import Counter

import pytest

from functions.triage.rules import detect_struggle
from functions.triage.settings import TriageSettings
from learnflow.events import STRUGGLE_DETECTED, StruggleDetected, StruggleType, follow_up_id, topic_of
from learnflow.serverless import load_settings

from .situations import Situation, load_situations

SITUATIONS = load_situations()


@pytest.mark.parametrize("situation", SITUATIONS, ids=[s.id for s in SITUATIONS])
def test_situation(situation: Situation) -> None:
    settings = load_settings(TriageSettings, **situation.env)
    event = situation.event()

    outputs = detect_struggle(event, settings)

    if situation.expect is None:
        assert outputs == []
        return
    assert len(outputs) == 1
    (out,) = outputs
    assert out.to_wire_dict()["data"] == situation.expect
    assert isinstance(out, StruggleDetected)
    assert out.event_id == follow_up_id(event.event_id, "triage")
    assert out.user_id == event.user_id
    # Never back onto learning-events, where triage would read its own verdict.
    assert topic_of(out) is STRUGGLE_DETECTED


def test_table_covers_every_struggle_type_and_the_silent_cases() -> None:
    counts = Counter(s.expect["struggleType"] if s.expect else None for s in SITUATIONS)
    assert len(SITUATIONS) >= 40
    assert {t.value for t in StruggleType} <= set(counts)
    assert counts[None] >= 5


def test_situation_names_are_unique() -> None:
    names = Counter(s.id for s in SITUATIONS)
    assert [n for n, c in names.items() if c > 1] == []
