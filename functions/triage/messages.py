"""What Python's message says the learner struggles with: a table of message patterns.

The exception class alone says little: a TypeError may be about strings, tuples,
``self`` or a missing conversion. Its message usually names the real culprit
(``'str' object has no attribute 'append'`` is about strings, not lists), and where
it does not, the failing line often does (``"x" % 2`` versus ``n % 2`` behind the same
``not all arguments converted``). Kohn (SIGCSE 2019) calls this the error behind the
message; this table is the part of it a message and one line can show.

Each row holds a pattern of the message as CPython 3.11-3.13 print it (taken from
runs in the sandbox, whose interpreter is the one the function runs on), the
exceptions it applies to, optionally a condition on the other clues, and what it
means: a concept, or a small function of the match and the clues that picks one,
and the struggle type when the message decides it. Rows are tried in order; the
first that matches and yields a concept wins. Nothing matching is no answer: triage
then falls back on the exception type and the constructs (``concept_resolution``).
"""

from __future__ import annotations

import builtins
import difflib
import keyword
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from learnflow.events import Concept, StruggleType

SYNTAX = StruggleType.SYNTAX_ERROR
LOGIC = StruggleType.LOGIC_ERROR
CONFUSION = StruggleType.CONCEPT_CONFUSION


@dataclass(frozen=True)
class Clues:
    """What the evidence holds besides the message."""

    line_text: str = ""
    line_constructs: frozenset[str] = frozenset()
    program_constructs: frozenset[str] = frozenset()

    @property
    def indented(self) -> bool:
        """The failing line is inside a block (a function body, a loop...)."""
        return self.line_text[:1] in (" ", "\t")


@dataclass(frozen=True)
class Reading:
    """What the message says: the concept, the struggle type when it decides it, the row."""

    concept: Concept
    struggle_type: StruggleType | None
    row: str


ConceptOf = Callable[[re.Match[str], Clues], Concept | None]
Condition = Callable[[re.Match[str], Clues], bool]


@dataclass(frozen=True)
class Row:
    name: str
    errors: frozenset[str]
    pattern: re.Pattern[str]
    concept: Concept | ConceptOf
    struggle_type: StruggleType | None = None
    when: Condition | None = None

    def read(self, error_type: str, message: str, clues: Clues) -> Reading | None:
        if error_type not in self.errors or (match := self.pattern.search(message)) is None:
            return None
        if self.when is not None and not self.when(match, clues):
            return None
        concept = self.concept if isinstance(self.concept, Concept) else self.concept(match, clues)
        return None if concept is None else Reading(concept, self.struggle_type, self.name)


def _row(
    name: str,
    errors: str,
    pattern: str,
    concept: Concept | ConceptOf,
    struggle_type: StruggleType | None = None,
    when: Condition | None = None,
) -> Row:
    return Row(name, frozenset(errors.split()), re.compile(pattern), concept, struggle_type, when)


# --- what a type's name points to ----------------------------------------------------

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
BUILTIN_TYPES: dict[str, type] = {"str": str, "list": list, "dict": dict, "tuple": tuple, "set": set, "int": int, "float": float}
LIST_METHODS = frozenset({"append", "extend", "insert", "remove", "sort", "reverse", "pop", "clear", "copy", "count", "index"})


def concept_of_type(name: str) -> Concept:
    """The concept a type named in a message points to; a class of the learner's otherwise."""
    if name in TYPE_CONCEPTS:
        return TYPE_CONCEPTS[name]
    if name.endswith(("Error", "Exception", "Warning")):
        return Concept.EXCEPTIONS
    return Concept.CLASSES


def _type(match: re.Match[str], clues: Clues) -> Concept:
    return concept_of_type(match["type"])


def _is_slip(match: re.Match[str], clues: Clues) -> bool:
    """A near miss of an existing name: CPython's "Did you mean" (3.12+), or for a
    built-in type, a close match among its attributes (what 3.11 would have said)."""
    if "Did you mean" in match.string:
        return True
    kind = BUILTIN_TYPES.get(match["type"])
    if kind is None:
        return False
    names = [n for n in dir(kind) if not n.startswith("_")]
    return bool(difflib.get_close_matches(match["name"], names, n=1, cutoff=0.8))


# --- what the failing line points to -------------------------------------------------

_HEADER = re.compile(r"^\s*(?P<keyword>for|while|if|elif|else|def|class|try|except|finally|with)\b")
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
COMPREHENSIONS: tuple[tuple[str, Concept], ...] = (
    ("dict_comprehension", Concept.DICT_COMPREHENSION),
    ("set_comprehension", Concept.SETS),
    ("generator_expression", Concept.GENERATORS),
    ("list_comprehension", Concept.LIST_COMPREHENSION),
)
_CALLEE = re.compile(r"[A-Za-z_]\w*\s*$")  # the text before a "(" that makes it a call
_CONDITION_WITH_ASSIGNMENT = re.compile(r"\b(if|elif|while)\b[^=]*[^=!<>:]=[^=]")
_INCREMENT = re.compile(r"(\+\+|--)\s*$")
_KEYWORD_ASSIGNED = re.compile(rf"^\s*({'|'.join(keyword.kwlist)})\s*=[^=]")
_LITERAL_CALLED = re.compile(r"\b\d+(\.\d+)?\s*\(")


def _statement(match: re.Match[str], clues: Clues) -> Concept | None:
    """The compound statement whose header is on the line (``expected ':'``)."""
    header = _HEADER.match(clues.line_text)
    return HEADER_CONCEPTS[header["keyword"]] if header else None


def _comprehension(match: re.Match[str], clues: Clues) -> Concept | None:
    for construct, concept in COMPREHENSIONS:
        if construct in clues.line_constructs:
            return concept
    return None


def _comprehension_or(otherwise: Concept) -> ConceptOf:
    def pick(match: re.Match[str], clues: Clues) -> Concept:
        return _comprehension(match, clues) or otherwise

    return pick


def _opened_by(bracket: str, before: str) -> Concept:
    """What a bracket opens, from the text before it on the line."""
    if bracket == "[":
        return Concept.LISTS
    if bracket == "{":
        return Concept.DICTIONARIES
    if callee := _CALLEE.search(before):  # a call, not a tuple
        return Concept.PYTHON_BASICS if callee[0].strip() == "print" else Concept.FUNCTIONS
    return Concept.TUPLES


def _unclosed(match: re.Match[str], clues: Clues) -> Concept:
    """``'[' was never closed``: the comprehension on the line, else what the bracket opens."""
    found = _comprehension(match, clues)
    if found is not None:
        return found
    bracket = match["bracket"]
    at = clues.line_text.rfind(bracket)
    return _opened_by(bracket, clues.line_text[:at] if at >= 0 else "")


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


def _missing_comma(match: re.Match[str], clues: Clues) -> Concept:
    """``Perhaps you forgot a comma?``: what holds the two values that stand side by side
    (``[1, 2 3]``, ``add(1 2)``), i.e. the innermost bracket open where they meet."""
    found = _comprehension(match, clues)
    if found is not None:
        return found
    line = clues.line_text
    gaps = [g.start() for g in _SIDE_BY_SIDE.finditer(line) if not _around_keyword(line, g.start(), g.end())]
    for end in [*gaps, len(line)]:
        if (at := _innermost_open(line, end)) is not None:
            return _opened_by(line[at], line[:at])
    first = re.search(r"[(\[{]", line)
    return _opened_by(first[0], line[: first.start()]) if first else Concept.PYTHON_BASICS


_SIDE_BY_SIDE = re.compile(r"(?<=[\w\"')\]])\s+(?=[\w\"'(\[])")


def _around_keyword(line: str, start: int, end: int) -> bool:
    before = re.search(r"\w+$", line[:start])
    after = re.match(r"\w+", line[end:])
    return any(word is not None and keyword.iskeyword(word[0]) for word in (before, after))


def _condition_line(match: re.Match[str], clues: Clues) -> bool:
    header = _HEADER.match(clues.line_text)
    return header is not None and header["keyword"] in ("if", "elif", "while")


def _loop_kind(match: re.Match[str], clues: Clues) -> Concept:
    return Concept.WHILE_LOOPS if "while_loop" in clues.program_constructs else Concept.FOR_LOOPS


# --- runtime messages that need a look at the name or the line -----------------------

MODULE_MEMBERS = frozenset(
    {"sqrt", "pi", "floor", "ceil", "pow", "randint", "choice", "shuffle", "random", "sleep", "date", "datetime"}
)
"""Names beginners use without the module they live in (``sqrt`` after ``import math``)."""
BOOLEAN_TYPOS = frozenset({"true", "false"})


def _name_is_called(name: str, clues: Clues) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", clues.line_text) is not None


def _undefined_name(match: re.Match[str], clues: Clues) -> Concept:
    """What an undefined name was meant to be, from the name and how the line uses it."""
    name = match["name"]
    if name in sys.stdlib_module_names or name in MODULE_MEMBERS or "forget to import" in match.string:
        return Concept.IMPORTS
    if name in BOOLEAN_TYPOS:
        return Concept.CONDITIONALS
    called = _name_is_called(name, clues)
    if called and not hasattr(builtins, name.lower()) and name[:1].isupper():
        return Concept.CLASSES  # Dog() before class Dog
    if called:
        return Concept.FUNCTIONS  # a function that is not defined (yet), or misspelt
    if name[:1].isupper() and name[1:].islower():
        return Concept.STRINGS  # name = Ana: text without its quotes
    return Concept.VARIABLES


def _unknown_in_a_body(kind: str) -> Condition:
    """An undefined name on an indented line of a program that has ``kind``, and no near
    miss offered: the name lives elsewhere (another function, ``self``), not a typo."""

    def when(match: re.Match[str], clues: Clues) -> bool:
        return clues.indented and kind in clues.program_constructs and "Did you mean" not in match.string

    return when


def _unknown_is_a_value(match: re.Match[str], clues: Clues) -> bool:
    return _undefined_name(match, clues) is Concept.VARIABLES


def _not_iterable(match: re.Match[str], clues: Clues) -> Concept:
    # ``for i in 5`` and ``for i in len(xs)``: the loop wants range().
    return Concept.FOR_LOOPS if match["type"] in NUMBER_TYPES else concept_of_type(match["type"])


def _not_subscriptable(match: re.Match[str], clues: Clues) -> Concept:
    # number[0] for a digit: the value has to become text first.
    return Concept.TYPE_CONVERSION if match["type"] in NUMBER_TYPES else concept_of_type(match["type"])


def _not_callable(match: re.Match[str], clues: Clues) -> Concept:
    kind = match["type"]
    if kind in ("list", "tuple"):
        return Concept.INDEXING_AND_SLICING  # nums(0) for nums[0]
    if kind in NUMBER_TYPES or kind == "str":
        return Concept.VARIABLES  # sum = 0 ... sum(xs): a built-in hidden by a variable
    return concept_of_type(kind)


def _unhashable(match: re.Match[str], clues: Clues) -> Concept:
    line = clues.line_text
    if "set(" in line or ".add(" in line or "set_comprehension" in clues.line_constructs:
        return Concept.SETS
    return Concept.DICTIONARIES


def _method_of(match: re.Match[str], clues: Clues) -> Concept:
    """A wrong call of a built-in method (``list.append() takes exactly one argument``)."""
    owner = match["owner"] or ""
    if owner in TYPE_CONCEPTS:
        return TYPE_CONCEPTS[owner]
    for construct, concept in (
        ("string_method_call", Concept.STRINGS),
        ("list_method_call", Concept.LISTS),
        ("dict_method_call", Concept.DICTIONARIES),
    ):
        if construct in clues.line_constructs:
            return concept
    return Concept.FUNCTIONS


def _defines_a_class(match: re.Match[str], clues: Clues) -> bool:
    return "class_def" in clues.program_constructs


def _string_formatting_line(match: re.Match[str], clues: Clues) -> bool:
    """``"%d" % x`` formats a string; ``n % 2`` with a text n is a missing int()."""
    return re.search(r"""["']\s*%""", clues.line_text) is not None


def _line_has(*needles: str) -> Condition:
    def when(match: re.Match[str], clues: Clues) -> bool:
        return any(n in clues.line_text for n in needles)

    return when


SYNTAX_ERRORS = "SyntaxError IndentationError TabError"

ROWS: tuple[Row, ...] = (
    # --- code that does not parse -----------------------------------------------------
    _row("indentation", "IndentationError TabError", r".", Concept.INDENTATION, SYNTAX),
    _row("unterminated string", "SyntaxError", r"^unterminated (triple-quoted )?(f-)?string literal", Concept.STRINGS, SYNTAX),
    _row("typographic quote", "SyntaxError", r"^invalid character '[‘’‚‛“”„‟«»]'", Concept.STRINGS, SYNTAX),
    _row("f-string", "SyntaxError", r"^f-string", Concept.STRING_FORMATTING, SYNTAX),
    _row(
        "comprehension target",
        "SyntaxError",
        r"parentheses around the comprehension target",
        _comprehension_or(Concept.LIST_COMPREHENSION),
        SYNTAX,
    ),
    _row(
        "= in a condition, on an assignment target",
        "SyntaxError",
        r"^cannot assign to .* here\. Maybe you meant '==' instead of '='\?",
        Concept.CONDITIONALS,
        SYNTAX,
        when=_condition_line,
    ),
    _row("assignment to something that is not a name", "SyntaxError", r"^cannot assign to ", Concept.VARIABLES, SYNTAX),
    _row("= for ==", "SyntaxError", r"Maybe you meant '==' or ':=' instead of '='\?", Concept.CONDITIONALS, SYNTAX),
    _row(
        "= in a condition, invalid syntax",
        "SyntaxError",
        r"^invalid syntax$",
        Concept.CONDITIONALS,
        SYNTAX,
        when=lambda m, c: _CONDITION_WITH_ASSIGNMENT.search(c.line_text) is not None,
    ),
    _row(
        "keyword as a name",
        "SyntaxError",
        r"^invalid syntax$",
        Concept.VARIABLES,
        SYNTAX,
        when=lambda m, c: _KEYWORD_ASSIGNED.search(c.line_text) is not None,  # class = "math"
    ),
    _row(
        "++ or --",
        "SyntaxError",
        r"^invalid syntax$",
        Concept.VARIABLES,
        SYNTAX,
        when=lambda m, c: _INCREMENT.search(c.line_text) is not None,
    ),
    _row("missing colon", "SyntaxError", r"^expected ':'$", _statement, SYNTAX),
    _row("def without parentheses", "SyntaxError", r"^expected '\('$", Concept.FUNCTIONS, SYNTAX),
    _row(
        "parameter order",
        "SyntaxError",
        r"^(non-default argument follows default argument|parameter without a default follows parameter with a default)",
        Concept.FUNCTIONS,
        SYNTAX,
    ),
    _row("argument order", "SyntaxError", r"^positional argument follows keyword argument", Concept.FUNCTIONS, SYNTAX),
    _row("return outside a function", "SyntaxError", r"^'return' outside function", Concept.FUNCTIONS, SYNTAX),
    _row("break outside a loop", "SyntaxError", r"^'(break|continue)' (not properly in|outside) loop", _loop_kind, SYNTAX),
    _row("print statement", "SyntaxError", r"^Missing parentheses in call to 'print'", Concept.PYTHON_BASICS, SYNTAX),
    _row("name starting with a digit", "SyntaxError", r"^invalid decimal literal", Concept.VARIABLES, SYNTAX),
    _row("leading zero", "SyntaxError", r"^leading zeros in decimal integer literals", Concept.NUMBERS, SYNTAX),
    _row("try without except", "SyntaxError", r"^expected 'except' or 'finally' block", Concept.EXCEPTIONS, SYNTAX),
    _row("import ... from", "SyntaxError", r"^Did you mean to use 'from \.\.\. import \.\.\.' instead", Concept.IMPORTS, SYNTAX),
    _row(
        "if expression without else",
        "SyntaxError",
        r"^expected 'else' after 'if' expression",
        _comprehension_or(Concept.CONDITIONALS),
        SYNTAX,
    ),
    _row("missing comma", "SyntaxError", r"Perhaps you forgot a comma\?", _missing_comma, SYNTAX),
    _row("bracket never closed", "SyntaxError", r"^'(?P<bracket>[(\[{])' was never closed", _unclosed, SYNTAX),
    _row("bracket never opened", "SyntaxError", r"^unmatched '[)\]}]'", Concept.PYTHON_BASICS, SYNTAX),
    _row(
        "brackets that do not match",
        "SyntaxError",
        r"^closing parenthesis '.' does not match opening parenthesis '(?P<bracket>[(\[{])'",
        lambda m, c: _opened_by(m["bracket"], c.line_text[: c.line_text.rfind(m["bracket"])]),
        SYNTAX,
    ),
    # --- methods and attributes -------------------------------------------------------
    _row(
        "list method on None",
        "AttributeError",
        r"^'NoneType' object has no attribute '(?P<name>\w+)'",
        Concept.LISTS,
        CONFUSION,
        when=lambda m, c: m["name"] in LIST_METHODS,  # xs = xs.append(1) stored None
    ),
    _row("attribute of None", "AttributeError", r"^'NoneType' object has no attribute", Concept.FUNCTIONS, CONFUSION),
    _row("module attribute", "AttributeError", r"^module '[\w.]+' has no attribute", Concept.IMPORTS, LOGIC),
    _row("class attribute", "AttributeError", r"^type object '\w+' has no attribute", Concept.CLASSES, CONFUSION),
    _row(
        "attribute, near miss",
        "AttributeError",
        r"^'(?P<type>\w+)' object has no attribute '(?P<name>\w+)'",
        _type,
        LOGIC,
        when=_is_slip,
    ),
    _row("attribute of another type", "AttributeError", r"^'(?P<type>\w+)' object has no attribute", _type, CONFUSION),
    # --- operations on the wrong type -------------------------------------------------
    _row("text plus a number", "TypeError", r'^can only concatenate str \(not "\w+"\) to str', Concept.TYPE_CONVERSION, LOGIC),
    _row(
        "sequence plus an item",
        "TypeError",
        r'^can only concatenate (?P<type>list|tuple) \(not "\w+"\)',
        _type,
        CONFUSION,
    ),
    _row(
        "None in arithmetic", "TypeError", r"^(unsupported operand|'\S+' not supported).*'NoneType'", Concept.FUNCTIONS, CONFUSION
    ),
    _row(
        "text minus text", "TypeError", r"^unsupported operand type\(s\) for [-/*%]+: 'str' and 'str'", Concept.STRINGS, CONFUSION
    ),
    _row(
        "text and number mixed",
        "TypeError",
        r"^(unsupported operand type\(s\) for \S+|'\S+' not supported between instances of) '(int|float|str)' and '(int|float|str)'",
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    _row("text times a number", "TypeError", r"^can't multiply sequence by non-int", Concept.TYPE_CONVERSION, LOGIC),
    _row("text as a count", "TypeError", r"^'str' object cannot be interpreted as an integer", Concept.TYPE_CONVERSION, LOGIC),
    _row("float as a count", "TypeError", r"^'float' object cannot be interpreted as an integer", Concept.NUMBERS, LOGIC),
    _row("float as an index", "TypeError", r"indices must be integers( or slices)?, not '?float", Concept.NUMBERS, LOGIC),
    _row(
        "item as an index",
        "TypeError",
        r"^list indices must be integers or slices, not str",
        Concept.FOR_LOOPS,
        CONFUSION,
        when=lambda m, c: c.indented and "for_loop" in c.program_constructs,  # for x in xs: xs[x]
    ),
    _row("text as an index", "TypeError", r"indices must be integers( or slices)?, not '?str", Concept.TYPE_CONVERSION, LOGIC),
    _row("not iterable", "TypeError", r"^'(?P<type>\w+)' object is not iterable", _not_iterable, CONFUSION),
    _row("unpacking None", "TypeError", r"^cannot unpack non-iterable NoneType object", Concept.FUNCTIONS, CONFUSION),
    _row("unpacking a single value", "TypeError", r"^cannot unpack non-iterable \w+ object", Concept.TUPLES, CONFUSION),
    _row(
        "len of a number",
        "TypeError",
        r"^object of type '(?P<type>\w+)' has no len\(\)",
        lambda m, c: Concept.TYPE_CONVERSION if m["type"] in NUMBER_TYPES else concept_of_type(m["type"]),
        CONFUSION,
    ),
    _row("not subscriptable", "TypeError", r"^'(?P<type>\w+)' object is not subscriptable", _not_subscriptable, CONFUSION),
    _row("immutable", "TypeError", r"^'(?P<type>\w+)' object does not support item assignment", _type, CONFUSION),
    _row(
        "number called: a missing operator",
        "TypeError",
        r"^'(int|float)' object is not callable",
        Concept.NUMBERS,
        LOGIC,
        when=lambda m, c: _LITERAL_CALLED.search(c.line_text) is not None,  # 2 (x + 1) for 2 * (x + 1)
    ),
    _row("not callable", "TypeError", r"^'(?P<type>\w+)' object is not callable", _not_callable, CONFUSION),
    _row("unhashable", "TypeError", r"^unhashable type: '\w+'", _unhashable, CONFUSION),
    # --- calls with the wrong arguments -----------------------------------------------
    _row("lambda arguments", "TypeError", r"^<lambda>\(\)", Concept.LAMBDA_FUNCTIONS, CONFUSION),
    _row("method without self", "TypeError", r"missing 1 required positional argument: 'self'", Concept.CLASSES, CONFUSION),
    _row("constructor arguments", "TypeError", r"__init__\(\) (missing|takes)", Concept.CLASSES, LOGIC),
    _row("class without __init__", "TypeError", r"^\w+\(\) takes no arguments", Concept.CLASSES, CONFUSION),
    _row(
        "self not counted",
        "TypeError",
        r"^\w+\.\w+\(\) takes \d+ positional arguments? but \d+ (was|were) given",
        Concept.CLASSES,
        CONFUSION,
        when=_defines_a_class,
    ),
    _row(
        "method arguments",
        "TypeError",
        r"^(?:(?P<owner>\w+)\.)?\w+(?:\(\))? (takes exactly|takes at least|expected at least|expected \d+ arguments?)",
        _method_of,
        LOGIC,
    ),
    _row(
        "function arguments",
        "TypeError",
        r"\(\) (missing \d+ required|takes \d+ positional|got an unexpected keyword)",
        Concept.FUNCTIONS,
        LOGIC,
    ),
    _row("join of non-strings", "TypeError", r"^sequence item \d+: expected str instance", Concept.STRINGS, LOGIC),
    _row(
        "% on a string",
        "TypeError",
        r"^not all arguments converted during string formatting",
        Concept.STRING_FORMATTING,
        LOGIC,
        when=_string_formatting_line,
    ),
    _row(
        "% on text meant as a number",
        "TypeError",
        r"^not all arguments converted during string formatting",
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    _row(
        "% formatting",
        "TypeError",
        r"^(not enough arguments for format string|%\w format: )",
        Concept.STRING_FORMATTING,
        LOGIC,
    ),
    _row(
        "conversion of the wrong type",
        "TypeError",
        r"^((int|float)\(\) argument must be|type \w+ doesn't define __round__)",
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    _row("raising a non-exception", "TypeError", r"^exceptions must derive from BaseException", Concept.EXCEPTIONS, CONFUSION),
    # --- values that do not fit -------------------------------------------------------
    _row(
        "text that is not a number",
        "ValueError",
        r"^(invalid literal for int\(\)|could not convert string to float)",
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    _row(
        "maths outside its domain",
        "ValueError",
        r"^(math domain error|\w+\(\) not defined for negative values)",
        Concept.NUMBERS,
        LOGIC,
    ),
    _row("item not in the list", "ValueError", r"(x not in list|is not in list)$", Concept.LISTS, LOGIC),
    _row("substring", "ValueError", r"^(substring not found|empty separator)", Concept.STRINGS, LOGIC),
    _row("unpacking", "ValueError", r"^(too many|not enough) values to unpack", Concept.TUPLES, LOGIC),
    _row(
        "max of nothing",
        "ValueError",
        r"^(max|min)\(\) (arg is an empty sequence|iterable argument is empty)",
        Concept.LISTS,
        LOGIC,
    ),
    _row("range step", "ValueError", r"^range\(\) arg 3 must not be zero", Concept.FOR_LOOPS, LOGIC),
    _row("format code", "ValueError", r"^Unknown format code", Concept.STRING_FORMATTING, LOGIC),
    _row("closed file", "ValueError", r"^I/O operation on closed file", Concept.CONTEXT_MANAGERS, CONFUSION),
    # --- positions and keys -----------------------------------------------------------
    _row("format placeholder", "IndexError", r"^Replacement index \d+ out of range", Concept.STRING_FORMATTING, LOGIC),
    _row("pop", "IndexError", r"^pop (from empty list|index out of range)", Concept.LISTS, LOGIC),
    _row("growing a list by index", "IndexError", r"^list assignment index out of range", Concept.LISTS, CONFUSION),
    _row("format placeholder name", "KeyError", r".", Concept.STRING_FORMATTING, LOGIC, when=_line_has(".format(")),
    _row("set remove", "KeyError", r".", Concept.SETS, LOGIC, when=_line_has(".remove(")),
    # --- names --------------------------------------------------------------------------
    _row("name of an attribute of self", "NameError", r"Did you mean: 'self\.\w+'", Concept.CLASSES, CONFUSION),
    _row(
        "name in a method",
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        Concept.CLASSES,
        CONFUSION,
        when=lambda m, c: _unknown_is_a_value(m, c) and _unknown_in_a_body("class_def")(m, c),
    ),
    _row(
        "name in a function",
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        Concept.SCOPE,
        CONFUSION,
        when=lambda m, c: _unknown_is_a_value(m, c) and _unknown_in_a_body("function_def")(m, c),
    ),
    _row("undefined name", "NameError", r"^name '(?P<name>\w+)' is not defined", _undefined_name, LOGIC),
)


def read_message(error_type: str, message: str, clues: Clues) -> Reading | None:
    """What the message (with the line) says, or None when no row knows it."""
    for row in ROWS:
        if (reading := row.read(error_type, message, clues)) is not None:
            return reading
    return None
