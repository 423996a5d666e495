"""What a diagnosis reads besides the message (the line, the constructs, the program), and the concepts those clues point to (pure).

A type named in a message points to a concept (``'str' object ...`` is about strings);
so do the header keyword of the failing line, the bracket a syntax error names, and the
constructs code execution found on the line and in the program. The diagnosis table
(``diagnoses``) picks its concept with these helpers where one message covers several.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from learnflow.events import Concept, Construct

from .facts import HEADER
from .program import Program


@dataclass(frozen=True)
class Answer:
    """The first check a wrong answer failed, as code execution graded it."""

    check: str
    hidden: bool = False
    expected: str | None = None  # JSON text; None for a hidden check
    got: str | None = None  # JSON text; None when the run gave no value (or the check is hidden)
    error: str | None = None  # why there is no value (the call raised...)
    call: str | None = None  # the function the check calls; None: a stdout check

    @property
    def printed(self) -> bool:
        return self.call is None


@dataclass(frozen=True)
class Clues:
    """What the evidence holds besides the message."""

    line_text: str = ""
    line_constructs: frozenset[Construct] = frozenset()
    program_constructs: frozenset[Construct] = frozenset()
    program: Program = field(default_factory=Program)  # the program, read around the failing line
    answer: Answer | None = None  # a wrong answer's failing check; None: the run failed

    @property
    def indented(self) -> bool:
        """The failing line is inside a block (a function body, a loop...)."""
        return self.line_text[:1] in (" ", "\t")


TYPE_CONCEPTS: dict[str, Concept] = {
    "str": Concept.STRINGS,
    "list": Concept.LISTS,
    "dict": Concept.DICTIONARIES,
    "dict_keys": Concept.DICTIONARIES,
    "dict_values": Concept.DICTIONARIES,
    "dict_items": Concept.DICTIONARIES,
    "tuple": Concept.TUPLES,
    "set": Concept.SETS,
    "frozenset": Concept.SETS,
    "int": Concept.NUMBERS,
    "float": Concept.NUMBERS,
    "complex": Concept.NUMBERS,
    "bool": Concept.NUMBERS,
    # None where a value was expected: a function that returns nothing.
    "NoneType": Concept.FUNCTIONS,
    "function": Concept.FUNCTIONS,
    "builtin_function_or_method": Concept.FUNCTIONS,
    "method": Concept.FUNCTIONS,
    "generator": Concept.GENERATORS,
    "map": Concept.GENERATORS,
    "filter": Concept.GENERATORS,
    "zip": Concept.GENERATORS,
    "range": Concept.FOR_LOOPS,
    "module": Concept.IMPORTS,
    "type": Concept.CLASSES,
}
NUMBER_TYPES = frozenset({"int", "float", "complex", "bool"})
LIST_METHODS = frozenset({"append", "extend", "insert", "remove", "sort", "reverse", "pop", "clear", "copy", "count", "index"})
HEADER_CONCEPTS: dict[str, Concept] = {
    "for": Concept.FOR_LOOPS,
    "while": Concept.WHILE_LOOPS,
    "if": Concept.CONDITIONALS,
    "elif": Concept.CONDITIONALS,
    "else": Concept.CONDITIONALS,
    "def": Concept.FUNCTIONS,
    "class": Concept.CLASSES,
    "try": Concept.EXCEPTIONS,
    "except": Concept.EXCEPTIONS,
    "finally": Concept.EXCEPTIONS,
    "with": Concept.CONTEXT_MANAGERS,
}
COMPREHENSIONS: tuple[tuple[Construct, Concept], ...] = (
    (Construct.DICT_COMPREHENSION, Concept.DICT_COMPREHENSION),
    (Construct.SET_COMPREHENSION, Concept.SETS),
    (Construct.GENERATOR_EXPRESSION, Concept.GENERATORS),
    (Construct.LIST_COMPREHENSION, Concept.LIST_COMPREHENSION),
)
METHOD_CALLS: tuple[tuple[Construct, Concept], ...] = (
    (Construct.STRING_METHOD_CALL, Concept.STRINGS),
    (Construct.LIST_METHOD_CALL, Concept.LISTS),
    (Construct.DICT_METHOD_CALL, Concept.DICTIONARIES),
)
_CALLEE = re.compile(r"[A-Za-z_]\w*\s*$")  # the text before a "(" that makes it a call
_SIDE_BY_SIDE = re.compile(r"(?<=[\w\"')\]])\s+(?=[\w\"'(\[])")


def concept_of_type(name: str) -> Concept:
    """The concept a type named in a message points to; a class of the learner's otherwise."""
    if name in TYPE_CONCEPTS:
        return TYPE_CONCEPTS[name]
    if name.endswith(("Error", "Exception", "Warning")):
        return Concept.EXCEPTIONS
    return Concept.CLASSES


def statement_concept(line: str) -> Concept | None:
    """The compound statement whose header is on the line (``expected ':'``)."""
    header = HEADER.match(line)
    return HEADER_CONCEPTS[header["keyword"]] if header else None


def is_condition_line(line: str) -> bool:
    header = HEADER.match(line)
    return header is not None and header["keyword"] in ("if", "elif", "while")


def comprehension_concept(clues: Clues) -> Concept | None:
    for construct, concept in COMPREHENSIONS:
        if construct in clues.line_constructs:
            return concept
    return None


def method_call_concept(clues: Clues) -> Concept | None:
    for construct, concept in METHOD_CALLS:
        if construct in clues.line_constructs:
            return concept
    return None


def opened_by(bracket: str, before: str) -> Concept:
    """What a bracket opens, from the text before it on the line."""
    if bracket == "[":
        return Concept.LISTS
    if bracket == "{":
        return Concept.DICTIONARIES
    if callee := _CALLEE.search(before):  # a call, not a tuple
        return Concept.PYTHON_BASICS if callee[0].strip() == "print" else Concept.FUNCTIONS
    return Concept.TUPLES


def unclosed_concept(bracket: str, clues: Clues) -> Concept:
    """``'[' was never closed``: the comprehension on the line, else what the bracket opens."""
    found = comprehension_concept(clues)
    if found is not None:
        return found
    at = clues.line_text.rfind(bracket)
    return opened_by(bracket, clues.line_text[:at] if at >= 0 else "")


def _innermost_open(line: str, end: int) -> int | None:
    """Where the innermost bracket still open at ``end`` opens, if any."""
    depth = 0
    for at in range(end - 1, -1, -1):
        if line[at] in ")]}":
            depth += 1
        elif line[at] in "([{":
            if depth == 0:
                return at
            depth -= 1
    return None


def _around_keyword(line: str, start: int, end: int) -> bool:
    before = re.search(r"\w+$", line[:start])
    after = re.match(r"\w+", line[end:])
    return any(word is not None and keyword.iskeyword(word[0]) for word in (before, after))


def missing_comma_concept(clues: Clues) -> Concept:
    """``Perhaps you forgot a comma?``: what holds the two values that stand side by side
    (``[1, 2 3]``, ``add(1 2)``), i.e. the innermost bracket open where they meet."""
    found = comprehension_concept(clues)
    if found is not None:
        return found
    line = clues.line_text
    gaps = [g.start() for g in _SIDE_BY_SIDE.finditer(line) if not _around_keyword(line, g.start(), g.end())]
    for end in [*gaps, len(line)]:
        if (at := _innermost_open(line, end)) is not None:
            return opened_by(line[at], line[:at])
    first = re.search(r"[(\[{]", line)
    return opened_by(first[0], line[: first.start()]) if first else Concept.PYTHON_BASICS
