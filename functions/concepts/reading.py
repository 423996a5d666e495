"""What went wrong on the learner's own line, in plain words, and one next step (pure).

Triage diagnoses each error once and the diagnosis travels on the event: its id
(``evidence.diagnosis``) and what it found (``evidence.facts``: the subscript on the
line, the type Python named...). Here the explanation is a lookup: the template of
that id (``knowledge/_diagnoses.yaml``), filled from the facts and from a few words
made of them ("position 5, the sixth item"). Python's message is quoted to the learner,
never read: a diagnosis this knowledge base has no template for, or an event from a
producer that sends no diagnosis, gets the template of ``unrecognised``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from learnflow.events import CodeEvidence

from .knowledge_base import Template

UNRECOGNISED = "unrecognised"
WRONG_ANSWER = "wrong_answer"
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


@dataclass(frozen=True)
class Reading:
    """The failing line, what the diagnosis means for it, and what to do next."""

    line: int | None
    line_text: str | None
    said: str  # the exception and Python's message as quoted to the learner, or how the run ended
    meaning: str
    next_step: str
    ended: str | None = None  # how a run stopped by a limit ended; None: it raised


class MissingFact(KeyError):
    """A template field the facts do not supply: the template does not fit the row."""


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise MissingFact(key)


def code(text: str) -> str:
    """Inline Markdown code that survives backticks in ``text``."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padded = f" {text} " if fence != "`" else text
    return f"{fence}{padded}{fence}"


def position(index: str) -> str:
    """Plain words for a literal index: 5 -> "position 5, the sixth item"."""
    value = int(index)
    if value >= 0:
        nth = ORDINALS[value] if value < len(ORDINALS) else f"number {value + 1}"
        return f"position {value}, the {nth} item"
    back = -value
    nth = ORDINALS[back - 1] if back <= len(ORDINALS) else f"number {back}"
    return f"position {value}, the {nth} item from the end"


def fill_in(evidence: CodeEvidence) -> dict[str, str]:
    """What a template can name: the facts, the line and its number, and words made of them."""
    words = {str(fact): value for fact, value in evidence.facts.items()}
    if evidence.check is not None and not evidence.check.hidden:
        # The check itself says what a wrong answer's template needs, whatever facts came with it.
        words.setdefault("check", evidence.check.name)
        words.setdefault("expected", evidence.check.expected or "null")
        words.setdefault("got", evidence.check.got or "null")
    words["line"] = (evidence.line_text or "").strip()
    words["n"] = str(evidence.line) if evidence.line is not None else "?"
    for field in ("type", "other", "left", "right"):
        if field in words:
            words[f"a_{field}"] = ("an" if words[field][:1].lower() in "aeiou" else "a") + f" `{words[field]}`"
    if "literal_index" in words:
        words["position"] = position(words["literal_index"])
    words["items"] = "characters" if words.get("container") == "string" else "items"
    return words


def _said(evidence: CodeEvidence) -> str:
    if evidence.exception_type is None:
        return evidence.status.value
    return f"{evidence.exception_type}: {evidence.message}" if evidence.message else evidence.exception_type


def read_evidence(evidence: CodeEvidence, templates: Mapping[str, Template]) -> Reading:
    """The reading of one run's evidence: its diagnosis's template, filled from its facts."""
    words = _Fill(fill_in(evidence))
    # A wrong answer this knowledge base has no template for is still about its check, not a line.
    fallback = WRONG_ANSWER if evidence.check is not None and not evidence.check.hidden else UNRECOGNISED
    template = templates.get(evidence.diagnosis or fallback) or templates[fallback]
    try:
        meaning, step = template.meaning.format_map(words), template.next_step.format_map(words)
    except MissingFact:
        # A producer whose facts do not fit this knowledge base's template: still about the line.
        template = templates[UNRECOGNISED]
        meaning, step = template.meaning.format_map(words), template.next_step.format_map(words)
    if template.ended is not None:
        if evidence.line is not None:
            meaning += f" Line {evidence.line} was running when it happened."
        return Reading(
            evidence.line, evidence.line_text, f"the program did not finish: {template.ended}", meaning, step, template.ended
        )
    return Reading(evidence.line, evidence.line_text, _said(evidence), meaning, step)
