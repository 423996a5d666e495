"""How a row of the diagnosis table picks its concept or struggle type from what it found (pure).

Most rows name one concept. Where one message covers several (``'int' object is not
callable`` is a missing operator after ``2 (x + 1)``, a built-in hidden by a variable
after ``sum = 0``), the row names one of these functions of what its pattern found
(``Found``: the facts, the clues, the message), and ``diagnoses`` reads as a table.
"""

from __future__ import annotations

import builtins
import re

from learnflow.events import Concept, Construct, Fact, StruggleType

from .clues import (
    LIST_METHODS,
    NUMBER_TYPES,
    TYPE_CONCEPTS,
    concept_of_type,
    is_condition_line,
    method_call_concept,
    statement_concept,
)
from .diagnosis import Found

LOGIC = StruggleType.LOGIC_ERROR
CONFUSION = StruggleType.CONCEPT_CONFUSION

CONDITION_WITH_ASSIGNMENT = re.compile(r"\b(if|elif|while)\b[^=]*[^=!<>:+\-*/%]=[^=]")
INCREMENT = re.compile(r"(\+\+|--)\s*$")
LITERAL_CALLED = re.compile(r"\b\d+(\.\d+)?\s*\(")


def type_concept(found: Found) -> Concept:
    return concept_of_type(found[Fact.TYPE])


def loop_kind(found: Found) -> Concept:
    return Concept.WHILE_LOOPS if Construct.WHILE_LOOP in found.clues.program_constructs else Concept.FOR_LOOPS


def assigned_in_condition(found: Found) -> bool:
    """``if len(xs) = 3:``: the = of a condition, which Python reads as an assignment."""
    return "Maybe you meant '==' instead of '='" in found.message and is_condition_line(found.clues.line_text)


def attribute_concept(found: Found) -> Concept:
    if found[Fact.TYPE] == "NoneType":  # xs = xs.append(1) stored None
        return Concept.LISTS if found[Fact.ATTR] in LIST_METHODS else Concept.FUNCTIONS
    return type_concept(found)


def attribute_struggle(found: Found) -> StruggleType:
    """A near miss of an existing name is a slip; another type's attribute is confusion."""
    return LOGIC if Fact.SUGGESTION in found.facts and found[Fact.TYPE] != "NoneType" else CONFUSION


def converted_none(found: Found) -> bool:
    return re.match(r"^((int|float)\(\) argument must be|can't multiply sequence)", found.message) is not None


def item_as_index(found: Found) -> bool:
    """``for x in xs: xs[x]``: the loop's item used as a position."""
    clues = found.clues
    return found.message.startswith("list indices") and clues.indented and Construct.FOR_LOOP in clues.program_constructs


def method_owner(found: Found) -> Concept:
    """A wrong call of a built-in method (``list.append() takes exactly one argument``)."""
    owner = found[Fact.METHOD].partition(".")[0] if "." in found[Fact.METHOD] else ""
    return TYPE_CONCEPTS.get(owner) or method_call_concept(found.clues) or Concept.FUNCTIONS


def defines_a_class(found: Found) -> bool:
    return Construct.CLASS_DEF in found.clues.program_constructs


def about_self_or_init(found: Found) -> bool:
    return "'self'" in found.message or "__init__" in found[Fact.FUNC]


def string_formatting_line(found: Found) -> bool:
    """``"%d" % x`` formats a string; ``n % 2`` with a text n is a missing int()."""
    return re.search(r"""["']\s*%""", found.clues.line_text) is not None


def unhashable(found: Found) -> Concept:
    line = found.clues.line_text
    if "set(" in line or ".add(" in line or Construct.SET_COMPREHENSION in found.clues.line_constructs:
        return Concept.SETS
    return Concept.DICTIONARIES


def literal_called(found: Found) -> bool:
    """``2 (x + 1)`` for ``2 * (x + 1)``: a number called, an operator missing."""
    return found[Fact.TYPE] in ("int", "float") and LITERAL_CALLED.search(found.clues.line_text) is not None


def not_callable(found: Found) -> Concept:
    kind = found[Fact.TYPE]
    if literal_called(found):
        return Concept.NUMBERS
    if kind in ("list", "tuple"):
        return Concept.INDEXING_AND_SLICING  # nums(0) for nums[0]
    if kind in NUMBER_TYPES or kind == "str":
        return Concept.VARIABLES  # sum = 0 ... sum(xs): a built-in hidden by a variable
    return concept_of_type(kind)


def called_name(found: Found) -> Concept:
    name = found[Fact.CALLED]
    if not hasattr(builtins, name.lower()) and name[:1].isupper():
        return Concept.CLASSES  # Dog() before class Dog
    return Concept.FUNCTIONS  # a function that is not defined (yet), or misspelt


def name_lives_elsewhere(found: Found) -> Concept:
    """An undefined value on an indented line of a method or a function, with no near miss
    offered: the name lives elsewhere (another function, ``self``), not a typo."""
    clues = found.clues
    if clues.indented and "Did you mean" not in found.message:
        if Construct.CLASS_DEF in clues.program_constructs:
            return Concept.CLASSES
        if Construct.FUNCTION_DEF in clues.program_constructs:
            return Concept.SCOPE
    return Concept.VARIABLES


def confused_unless_a_value(found: Found) -> StruggleType:
    return LOGIC if name_lives_elsewhere(found) is Concept.VARIABLES else CONFUSION


def lowered_keyword(found: Found) -> Concept:
    """``If``/``Def``/``For``: the concept of the statement the keyword would open."""
    return statement_concept(found[Fact.FIXED] + " ") or Concept.PYTHON_BASICS


def header_of(found: Found) -> Concept:
    return statement_concept(found.clues.line_text) or Concept.PYTHON_BASICS


def used_too_early(found: Found) -> Concept:
    line = found.clues.line_text
    name = found[Fact.NAME]
    if re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", line):
        return Concept.CLASSES if name[:1].isupper() else Concept.FUNCTIONS
    return Concept.VARIABLES


def operands(found: Found) -> Concept:
    """``3 + 3j % 2``: the operation belongs to the types it mixes; a complex is a number."""
    left, right = found[Fact.LEFT], found[Fact.RIGHT]
    if "complex" in (left, right) or {left, right} <= NUMBER_TYPES:
        return Concept.NUMBERS
    return concept_of_type(left if left != "NoneType" else right)
