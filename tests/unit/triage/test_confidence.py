"""Confidence: bounded, and never lowered by more attempts or a longer duration."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from functions.triage.concept_resolution import ConceptSource
from functions.triage.confidence import BASE, CEILING, CONCEPT_BONUS, Rule, confidence, effort_bonus
from functions.triage.rules import judge
from functions.triage.settings import TriageSettings
from learnflow.events import Envelope, ExerciseCompleted, ExerciseStarted, HelpRequested, new_event

from ...support.fuzzing import examples

ACTIVITY = st.sampled_from([ExerciseStarted, ExerciseCompleted, HelpRequested])
ATTEMPTS = st.integers(min_value=0, max_value=200)
DURATION = st.integers(min_value=0, max_value=50_000)


def _confidence_of(model: type[Envelope], attempts: int, duration: int, config: TriageSettings) -> float:
    event: Envelope = new_event(
        model, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "attempts": attempts, "duration": duration}
    )
    verdict = judge(event, config)
    return 0.0 if verdict is None else verdict.confidence  # no verdict: no confidence at all


CONFIGS = st.builds(
    lambda threshold, long_s, extra: TriageSettings(
        attempts_threshold=threshold, long_duration_s=long_s, break_after_s=long_s + extra
    ),
    st.integers(2, 10),
    st.integers(1, 3600),
    st.integers(0, 3600),
)


@settings(max_examples=examples(300), deadline=None)
@given(ACTIVITY, ATTEMPTS, DURATION, st.integers(1, 20), CONFIGS)
def test_more_attempts_never_lower_confidence(
    model: type, attempts: int, duration: int, more: int, config: TriageSettings
) -> None:
    assert _confidence_of(model, attempts + more, duration, config) >= _confidence_of(model, attempts, duration, config)


@settings(max_examples=examples(300), deadline=None)
@given(ACTIVITY, ATTEMPTS, DURATION, st.integers(1, 5000), CONFIGS)
def test_longer_duration_never_lowers_confidence(
    model: type, attempts: int, duration: int, more: int, config: TriageSettings
) -> None:
    assert _confidence_of(model, attempts, duration + more, config) >= _confidence_of(model, attempts, duration, config)


@given(st.sampled_from(list(Rule)), st.sampled_from(list(ConceptSource)), ATTEMPTS, DURATION)
def test_confidence_stays_within_bounds(rule: Rule, source: ConceptSource, attempts: int, duration: int) -> None:
    value = confidence(rule, source, effort_bonus(attempts, duration, 1800))
    assert 0.0 <= value <= CEILING


def test_every_rule_and_source_is_in_the_table() -> None:
    assert set(BASE) == set(Rule)
    assert set(CONCEPT_BONUS) == set(ConceptSource)


def test_direct_evidence_outranks_guesses() -> None:
    order = [ConceptSource.FALLBACK, ConceptSource.PROGRAM, ConceptSource.ERROR_DEFAULT, ConceptSource.LINE]
    values = [CONCEPT_BONUS[s] for s in order]
    assert values == sorted(values)
