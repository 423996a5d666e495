"""The published list of Python concepts: the ids triage emits and concepts explains.

A concept id travels in ``struggle.detected`` (``data.concept``) and
``help.explanation``. Triage only ever emits a member of :class:`Concept`; the
concepts function ships a knowledge-base entry for every member (a test checks both
directions). When no evidence points to a concept, triage emits
:data:`FALLBACK_CONCEPT`, which has an entry of its own like any other concept.

Ids are stable snake_case: renaming one is a breaking change for every consumer that
stored it, so add new members instead.
"""

from __future__ import annotations

from enum import StrEnum


class Concept(StrEnum):
    """A Python concept a learner can struggle with; each member has a one-line description."""

    description: str

    def __new__(cls, value: str, description: str) -> Concept:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    PYTHON_BASICS = ("python_basics", "Reading errors and the shape of a Python program (the fallback).")
    INDENTATION = ("indentation", "Blocks are defined by consistent indentation after a colon.")
    VARIABLES = ("variables", "Names bound to values with =, and updated with += and friends.")
    NUMBERS = ("numbers", "int and float arithmetic, division, floor division and remainder.")
    TYPE_CONVERSION = ("type_conversion", "Turning values into other types with int(), str(), float().")
    STRINGS = ("strings", "Text values and their methods: split, join, strip, upper, replace.")
    STRING_FORMATTING = ("string_formatting", "Building text from values with f-strings.")
    CONDITIONALS = ("conditionals", "if / elif / else, comparisons and boolean operators.")
    FOR_LOOPS = ("for_loops", "Repeating over the items of an iterable, with range() and enumerate().")
    WHILE_LOOPS = ("while_loops", "Repeating while a condition holds, and making sure it stops.")
    LISTS = ("lists", "Ordered, mutable sequences and their methods: append, extend, pop, sort.")
    INDEXING_AND_SLICING = ("indexing_and_slicing", "Reading items and sub-sequences by position.")
    TUPLES = ("tuples", "Fixed, immutable sequences and unpacking.")
    DICTIONARIES = ("dictionaries", "Key-value mappings: lookup, get, items, and missing keys.")
    SETS = ("sets", "Unordered collections of unique items, and set comprehensions.")
    LIST_COMPREHENSION = ("list_comprehension", "Building a list in one expression: [expr for x in xs if cond].")
    DICT_COMPREHENSION = ("dict_comprehension", "Building a dict in one expression: {k: v for ...}.")
    GENERATORS = ("generators", "Lazy sequences from generator expressions and yield.")
    FUNCTIONS = ("functions", "Defining functions with def, parameters and return values.")
    LAMBDA_FUNCTIONS = ("lambda_functions", "Small anonymous functions, typically passed as a key.")
    RECURSION = ("recursion", "A function that calls itself, with a base case that stops it.")
    SCOPE = ("scope", "Where a name is visible: local, enclosing, global.")
    EXCEPTIONS = ("exceptions", "Raising and handling errors with try / except / finally.")
    CLASSES = ("classes", "Defining types with class, __init__, self and methods.")
    CONTEXT_MANAGERS = ("context_managers", "The with statement and resources that clean up after themselves.")
    IMPORTS = ("imports", "Using modules from the standard library with import and from ... import.")


FALLBACK_CONCEPT = Concept.PYTHON_BASICS
"""What triage emits when nothing in the evidence points to a specific concept."""


def is_known_concept(concept_id: str) -> bool:
    """Whether ``concept_id`` is in the published list."""
    return concept_id in Concept._value2member_map_


__all__ = ["FALLBACK_CONCEPT", "Concept", "is_known_concept"]
