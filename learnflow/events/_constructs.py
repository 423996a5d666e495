"""The published list of Python constructs: the names code execution reports.

A construct name travels in ``code.executed`` (``data.constructs`` and
``data.error.constructs``) and in ``struggle.detected``'s evidence. Code execution
finds them (``ast``, or tokens when the code does not parse); triage and concepts read
them. Each service compares members of :class:`Construct`, never string literals, so
a renamed construct fails the type checker and the tests instead of silently never
matching again.

On the wire a construct stays a snake_case string: a reader built against an older
list still reads an event that names a newer construct, and ignores it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Construct(StrEnum):
    """A Python construct a program uses, in the order code execution reports them."""

    FOR_LOOP = "for_loop"
    WHILE_LOOP = "while_loop"
    LIST_COMPREHENSION = "list_comprehension"
    DICT_COMPREHENSION = "dict_comprehension"
    SET_COMPREHENSION = "set_comprehension"
    GENERATOR_EXPRESSION = "generator_expression"
    FUNCTION_DEF = "function_def"
    LAMBDA = "lambda"
    RECURSION = "recursion"
    CLASS_DEF = "class_def"
    TRY_EXCEPT = "try_except"
    WITH_STATEMENT = "with_statement"
    F_STRING = "f_string"
    SLICING = "slicing"
    INDEXING = "indexing"
    CONDITIONAL = "conditional"
    IMPORT = "import"
    RETURN = "return"
    YIELD = "yield"
    GLOBAL = "global"
    STRING_METHOD_CALL = "string_method_call"
    LIST_METHOD_CALL = "list_method_call"
    DICT_METHOD_CALL = "dict_method_call"
    PRINT_CALL = "print_call"
    INPUT_CALL = "input_call"
    ASSIGNMENT = "assignment"
    AUGMENTED_ASSIGNMENT = "augmented_assignment"
    BOOLEAN_OPERATION = "boolean_operation"
    COMPARISON = "comparison"


def known_constructs(names: Iterable[str]) -> frozenset[Construct]:
    """The members among ``names``; a name this list does not know yet is left out."""
    return frozenset(Construct(n) for n in names if n in Construct._value2member_map_)


__all__ = ["Construct", "known_constructs"]
