"""How the diagnosis table is read: rows, what a row found, and the first row that applies (pure).

A row names one mistake (a stable diagnosis id such as ``index_out_of_range``), the
exceptions or run statuses it applies to, a pattern of Python's message, optionally a
condition on the other clues and a question to the program (``code_checks``: the
facts it finds there, or None), the facts its explanation needs, and what the mistake
means for triage: a concept (or a small function of what was found that picks one)
and, where the message decides it, a struggle type. Rows are tried in order; the
first whose exception, pattern, code check, condition and facts all hold answers. The table
itself is ``diagnoses``; the explanations are the concepts function's, chosen by id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from learnflow.events import MAX_FACT, Concept, Fact, Facts, StruggleType

from .clues import Clues
from .facts import line_facts, message_facts


@dataclass(frozen=True)
class Found:
    """What a row's pattern found in the message, read with the line: its facts, the clues."""

    facts: Facts
    clues: Clues
    message: str

    def __getitem__(self, fact: Fact) -> str:
        return self.facts.get(fact, "")


ConceptOf = Callable[[Found], Concept | None]
CodeCheck = Callable[[Found], Facts | None]
"""A question to the program (``code_checks``): the facts it found, or None: not this mistake."""
TypeOf = Callable[[Found], StruggleType]
Condition = Callable[[Found], bool]


@dataclass(frozen=True)
class Diagnosis:
    """One error, diagnosed: the row's id, what it means, and the facts it found."""

    id: str
    concept: Concept | None  # None: the message names no concept; triage falls back on the constructs
    struggle_type: StruggleType | None  # None: the exception type decides
    facts: Facts


@dataclass(frozen=True)
class Row:
    id: str
    errors: frozenset[str]  # exception types, or run statuses; empty: any
    pattern: re.Pattern[str]
    concept: Concept | ConceptOf | None
    struggle_type: StruggleType | TypeOf | None = None
    when: Condition | None = None
    needs: frozenset[Fact] = frozenset()
    reads: CodeCheck | None = None

    def read(self, kind: str, message: str, clues: Clues, on_line: Facts) -> Diagnosis | None:
        if self.errors and kind not in self.errors:
            return None
        match = self.pattern.search(message)
        if match is None:
            return None
        said = message_facts(match, kind, clues.line_text)
        found = Found({**on_line, **said}, clues, message)
        from_code: Facts = {}
        if self.reads is not None:
            checked = self.reads(found)
            if checked is None:
                return None
            from_code = checked
            found = Found({**found.facts, **from_code}, clues, message)
        if not self.needs <= found.facts.keys() or (self.when is not None and not self.when(found)):
            return None
        concept = self.concept(found) if callable(self.concept) else self.concept
        struggle = self.struggle_type(found) if callable(self.struggle_type) else self.struggle_type
        # The event carries what the message said and the pieces of the line the row
        # needs, not every piece of the line: struggle.detected travels far.
        kept = {fact: value for fact, value in found.facts.items() if fact in said or fact in from_code or fact in self.needs}
        if any(len(value) > MAX_FACT for value in kept.values()):
            return None  # a name too long to quote (a 1000-character module name): not this row's to explain
        return Diagnosis(self.id, concept, struggle, kept)


def row(
    id: str,
    errors: str,
    pattern: str,
    concept: Concept | ConceptOf | None,
    struggle_type: StruggleType | TypeOf | None = None,
    *,
    when: Condition | None = None,
    needs: str = "",
    reads: CodeCheck | None = None,
) -> Row:
    """A row, written compactly: ``errors`` and ``needs`` are space-separated names."""
    return Row(
        id,
        frozenset(errors.split()),
        re.compile(pattern),
        concept,
        struggle_type,
        when,
        frozenset(Fact(n) for n in needs.split()),
        reads,
    )


def first_diagnosis(rows: Sequence[Row], kind: str, message: str, clues: Clues) -> Diagnosis:
    """The diagnosis of the first row that applies; the table's last row applies to anything."""
    on_line = line_facts(clues.line_text)
    for candidate in rows:
        if (diagnosis := candidate.read(kind, message, clues, on_line)) is not None:
            return diagnosis
    raise AssertionError("the table's last row answers any error")  # pragma: no cover
