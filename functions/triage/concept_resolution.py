"""Which concept a piece of evidence points to, and how directly.

Code execution reports constructs twice: on the failing line (``error.constructs``,
found lexically when the code does not parse) and in the whole program
(``constructs``, found by ``ast``). The failing line is the stronger witness; the
exception type sometimes names the concept by itself (a KeyError is about
dictionaries wherever it happens). Resolution returns the concept together with
where it came from, because the confidence table rewards direct evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from learnflow.events import FALLBACK_CONCEPT, Concept, Construct, known_constructs


class ConceptSource(StrEnum):
    """Where a concept was found, from the most to the least direct evidence."""

    ERROR_TYPE = "error_type"  # the exception names the concept (RecursionError)
    EXERCISE = "exercise"  # a wrong answer: the exercise's catalogue entry names its concepts
    MESSAGE = "message"  # Python's message names it ('str' object has no attribute 'append')
    LINE = "line"  # a construct on the failing line
    PROGRAM = "program"  # a construct somewhere in the program
    ERROR_DEFAULT = "error_default"  # the usual culprit of this exception, nothing better known
    FALLBACK = "fallback"  # nothing points anywhere: FALLBACK_CONCEPT


@dataclass(frozen=True)
class ResolvedConcept:
    concept: Concept
    source: ConceptSource


# Most specific first: a line holding ``print([x for x in xs])`` is about the
# comprehension, not about print or assignment. print_call maps to nothing because
# nearly every failing line prints something.
CONSTRUCT_PRIORITY: tuple[tuple[Construct, Concept], ...] = (
    (Construct.RECURSION, Concept.RECURSION),
    (Construct.LIST_COMPREHENSION, Concept.LIST_COMPREHENSION),
    (Construct.DICT_COMPREHENSION, Concept.DICT_COMPREHENSION),
    (Construct.SET_COMPREHENSION, Concept.SETS),
    (Construct.GENERATOR_EXPRESSION, Concept.GENERATORS),
    (Construct.YIELD, Concept.GENERATORS),
    (Construct.LAMBDA, Concept.LAMBDA_FUNCTIONS),
    (Construct.CLASS_DEF, Concept.CLASSES),
    (Construct.TRY_EXCEPT, Concept.EXCEPTIONS),
    (Construct.WITH_STATEMENT, Concept.CONTEXT_MANAGERS),
    (Construct.GLOBAL, Concept.SCOPE),
    (Construct.F_STRING, Concept.STRING_FORMATTING),
    (Construct.STRING_METHOD_CALL, Concept.STRINGS),
    (Construct.LIST_METHOD_CALL, Concept.LISTS),
    (Construct.DICT_METHOD_CALL, Concept.DICTIONARIES),
    (Construct.SLICING, Concept.INDEXING_AND_SLICING),
    (Construct.INDEXING, Concept.INDEXING_AND_SLICING),
    (Construct.WHILE_LOOP, Concept.WHILE_LOOPS),
    (Construct.FOR_LOOP, Concept.FOR_LOOPS),
    (Construct.FUNCTION_DEF, Concept.FUNCTIONS),
    (Construct.RETURN, Concept.FUNCTIONS),
    (Construct.IMPORT, Concept.IMPORTS),
    (Construct.INPUT_CALL, Concept.TYPE_CONVERSION),
    (Construct.CONDITIONAL, Concept.CONDITIONALS),
    (Construct.BOOLEAN_OPERATION, Concept.CONDITIONALS),
    (Construct.COMPARISON, Concept.CONDITIONALS),
    (Construct.AUGMENTED_ASSIGNMENT, Concept.VARIABLES),
    (Construct.ASSIGNMENT, Concept.VARIABLES),
)
CONSTRUCT_CONCEPTS: Mapping[Construct, Concept] = dict(CONSTRUCT_PRIORITY)

# Constructs on nearly every line: on a failing line they say little, so the usual
# culprit of the exception outranks them (a TypeError on ``total = "a" + 1`` is about
# type conversion, not about assignment).
GENERIC_CONSTRUCTS = frozenset(
    {Construct.ASSIGNMENT, Construct.AUGMENTED_ASSIGNMENT, Construct.COMPARISON, Construct.BOOLEAN_OPERATION, Construct.RETURN}
)

# Exceptions that name their concept wherever they are raised.
DEFINING_ERRORS: Mapping[str, Concept] = {
    "RecursionError": Concept.RECURSION,
    "UnboundLocalError": Concept.SCOPE,
    "KeyError": Concept.DICTIONARIES,
    "ZeroDivisionError": Concept.NUMBERS,
    "ModuleNotFoundError": Concept.IMPORTS,
    "ImportError": Concept.IMPORTS,
    "StopIteration": Concept.GENERATORS,
}

# The usual culprit of an exception when the failing line holds no known construct.
DEFAULT_ERRORS: Mapping[str, Concept] = {
    "IndentationError": Concept.INDENTATION,
    "TabError": Concept.INDENTATION,
    "IndexError": Concept.INDEXING_AND_SLICING,
    "NameError": Concept.VARIABLES,
    "TypeError": Concept.TYPE_CONVERSION,
    "ValueError": Concept.TYPE_CONVERSION,
    "AttributeError": Concept.CLASSES,
    "OverflowError": Concept.NUMBERS,
    "FileNotFoundError": Concept.CONTEXT_MANAGERS,
}

# Constructs looked at first for a given exception or run outcome, before the
# general priority: an IndexError on ``[xs[i + 1] for i in ...]`` is about indexing,
# an AttributeError on ``n.append(1)`` about the method called, a timeout about the loop.
AFFINITY: Mapping[str, tuple[Construct, ...]] = {
    "IndexError": (Construct.INDEXING, Construct.SLICING),
    "AttributeError": (Construct.STRING_METHOD_CALL, Construct.LIST_METHOD_CALL, Construct.DICT_METHOD_CALL, Construct.CLASS_DEF),
    "timeout": (Construct.WHILE_LOOP, Construct.RECURSION, Construct.FOR_LOOP),
    "memory_exceeded": (
        Construct.RECURSION,
        Construct.WHILE_LOOP,
        Construct.LIST_METHOD_CALL,
        Construct.LIST_COMPREHENSION,
        Construct.FOR_LOOP,
    ),
    "output_exceeded": (Construct.WHILE_LOOP, Construct.FOR_LOOP, Construct.RECURSION),
}


def concept_of_constructs(
    constructs: Iterable[str], prefer: tuple[Construct, ...] = (), *, ignore: frozenset[Construct] = frozenset()
) -> Concept | None:
    """The concept of the most telling construct, ``prefer`` first; None if none is known."""
    present = known_constructs(constructs) - ignore
    for construct in prefer:
        if construct in present and construct in CONSTRUCT_CONCEPTS:
            return CONSTRUCT_CONCEPTS[construct]
    for construct, concept in CONSTRUCT_PRIORITY:
        if construct in present:
            return concept
    return None


def resolve_concept(
    *,
    error_type: str | None = None,
    line_constructs: Iterable[str] = (),
    program_constructs: Iterable[str] = (),
    outcome: str | None = None,
) -> ResolvedConcept:
    """The concept the evidence points to, searched from the most direct witness down.

    Order: an exception that names its concept; a specific construct on the failing
    line; the exception's usual culprit; a generic construct on the failing line; a
    construct in the program; the fallback.

    Args:
        error_type: the exception class name, when the run raised.
        line_constructs: constructs on the failing line.
        program_constructs: constructs in the whole program; weaker than the failing
            line and than the exception's usual culprit, but better than nothing (and
            all there is for a timeout).
        outcome: the key into ``AFFINITY`` for runs without an exception (``timeout``).
    """
    if (named := DEFINING_ERRORS.get(error_type or "")) is not None:
        return ResolvedConcept(named, ConceptSource.ERROR_TYPE)
    prefer = AFFINITY.get(error_type or outcome or "", ())
    line = tuple(line_constructs)
    if (concept := concept_of_constructs(line, prefer, ignore=GENERIC_CONSTRUCTS)) is not None:
        return ResolvedConcept(concept, ConceptSource.LINE)
    if (usual := DEFAULT_ERRORS.get(error_type or "")) is not None:
        return ResolvedConcept(usual, ConceptSource.ERROR_DEFAULT)
    if (concept := concept_of_constructs(line, prefer)) is not None:
        return ResolvedConcept(concept, ConceptSource.LINE)
    if (concept := concept_of_constructs(program_constructs, prefer)) is not None:
        return ResolvedConcept(concept, ConceptSource.PROGRAM)
    return ResolvedConcept(FALLBACK_CONCEPT, ConceptSource.FALLBACK)
