"""How sure triage is: a documented table, the same one docs/triage.md shows.

    confidence = base[rule] + concept_bonus[source] + effort bonus, clamped to [0, 0.95]

The base reflects how unambiguous the rule's evidence is (a SyntaxError is a syntax
problem, full stop; a long session might be thinking, not struggling). The concept
bonus rewards a concept found on the failing line over a guess. The effort bonus
applies to activity events only (code.executed carries no attempts or duration) and
never decreases as attempts or duration grow, so neither can lower the confidence.
Nothing is ever certain: 0.95 is the ceiling. Values are rounded to two decimals, which
keeps them readable and is itself monotone.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .concept_resolution import ConceptSource


class Rule(StrEnum):
    """Every rule that can produce a verdict; the names appear in docs/triage.md."""

    SYNTAX_ERROR = "syntax_error"  # SyntaxError, IndentationError, TabError
    RECURSION_ERROR = "recursion_error"  # RecursionError: recursion without a base case
    CONSTRUCT_MISUSE = "construct_misuse"  # a construct or type misunderstood: by the message, or the error around a construct
    RUNTIME_ERROR = "runtime_error"  # any other exception in the learner's code
    RUNAWAY = "runaway"  # timeout, memory or output limit: an endless loop or unbounded growth
    FAILED_EXIT = "failed_exit"  # non-zero exit without an exception report
    WRONG_ANSWER = "wrong_answer"  # a graded run that ran cleanly but failed a check of its exercise
    HELP_REQUESTED = "help_requested"
    REPEATED_ATTEMPTS = "repeated_attempts"  # exercise.completed after many attempts
    LONG_EFFORT = "long_effort"  # exercise.completed after a long time, few attempts


BASE: Mapping[Rule, float] = {
    Rule.SYNTAX_ERROR: 0.80,
    Rule.RECURSION_ERROR: 0.80,
    Rule.CONSTRUCT_MISUSE: 0.70,
    Rule.RUNTIME_ERROR: 0.65,
    Rule.RUNAWAY: 0.60,
    Rule.FAILED_EXIT: 0.40,
    Rule.WRONG_ANSWER: 0.75,
    Rule.HELP_REQUESTED: 0.60,
    Rule.REPEATED_ATTEMPTS: 0.50,
    Rule.LONG_EFFORT: 0.40,
}

CONCEPT_BONUS: Mapping[ConceptSource, float] = {
    ConceptSource.ERROR_TYPE: 0.10,
    ConceptSource.EXERCISE: 0.10,
    ConceptSource.MESSAGE: 0.10,
    ConceptSource.LINE: 0.10,
    ConceptSource.ERROR_DEFAULT: 0.05,
    ConceptSource.PROGRAM: 0.0,
    ConceptSource.FALLBACK: -0.10,
}

ATTEMPT_STEP = 0.05
"""Per attempt beyond the first."""
ATTEMPTS_CAP = 0.20
DURATION_CAP = 0.15
"""Reached at the break threshold; linear from zero seconds up to it."""
CEILING = 0.95


def effort_bonus(attempts: int, duration_s: int, break_after_s: int) -> float:
    """Non-decreasing in both ``attempts`` and ``duration_s``."""
    by_attempts = min(ATTEMPTS_CAP, max(0, attempts - 1) * ATTEMPT_STEP)
    by_duration = DURATION_CAP * min(1.0, duration_s / break_after_s)
    return by_attempts + by_duration


def confidence(rule: Rule, source: ConceptSource, effort: float = 0.0) -> float:
    """The confidence of a verdict from ``rule`` whose concept came from ``source``."""
    raw = BASE[rule] + CONCEPT_BONUS[source] + effort
    return round(min(CEILING, max(0.0, raw)), 2)
