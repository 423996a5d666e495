"""What a wrong answer shows: the failing check's expected and got, compared, and the program (pure).

A graded run that ends cleanly but fails a check has no exception to read; its
evidence is the check: what it expected and what the run gave, both JSON text (a
stdout check's are the outputs, as JSON strings). Compared as values they often say
the mistake by themselves: one item short, off by one, the same items in another
order, text that differs only in case or spaces, ``None`` where a value was expected.
The program says what the values cannot: a ``print`` where a ``return`` belongs, an
``a + b / 2`` that divides before it adds. Each question here is a code check of the
diagnosis table (``diagnoses``): the facts it found, or None: not this mistake.
A hidden check's values are never known here, only its name.
"""

from __future__ import annotations

import ast
import json
from collections import Counter
from typing import Any

from learnflow.events import MAX_FACT, Concept, Exercise, Fact, Facts, Grade

from .clues import Answer
from .diagnosis import Found

KIND = "wrong_answer"
"""What the table's wrong-answer rows apply to, in place of an exception type or run status."""
_ABSENT = object()


def failing_answer(grade: Grade, exercise: Exercise | None) -> Answer:
    """The check to explain: the first failing visible one, whose values can be shown, else the first failing."""
    failing = [c for c in grade.checks if not c.passed] or grade.checks
    chosen = next((c for c in failing if not c.hidden), failing[0])
    call = next((c.call for c in exercise.checks if c.name == chosen.name), None) if exercise is not None else None
    if chosen.hidden:
        return Answer(chosen.name, hidden=True, call=call)
    return Answer(chosen.name, False, chosen.expected, chosen.got, chosen.error, call)


def _load(text: str | None, printed: bool) -> Any:
    """The value a JSON text holds; for an output, the Python value it prints where it prints one."""
    if text is None or text.endswith("…"):
        return _ABSENT  # cut: the whole value is not known
    try:
        value = json.loads(text)
    except ValueError:
        return _ABSENT
    if printed and isinstance(value, str):
        # ``print(squares)`` writes a list: compare it as one.
        try:
            shown = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
            return value
        if isinstance(shown, (list, tuple, int, float)) and not isinstance(shown, bool):
            return list(shown) if isinstance(shown, tuple) else shown
    return list(value) if isinstance(value, tuple) else value


def _json(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= MAX_FACT else text[: MAX_FACT - 1] + "…"


def type_name(value: Any) -> str:
    """Plain words for a JSON value's type."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True or False"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a dictionary"


def _shown(found: Found) -> tuple[Answer, Any, Any] | None:
    """The failing visible check and its two values, both known."""
    answer = found.clues.answer
    if answer is None or answer.hidden:
        return None
    expected, got = _load(answer.expected, answer.printed), _load(answer.got, answer.printed)
    if expected is _ABSENT or got is _ABSENT:
        return None
    return answer, expected, got


def _none_where_a_value(found: Found) -> tuple[Answer, str] | None:
    """The failing visible call check, and its call, which gave ``None`` where a value was expected."""
    shown = _shown(found)
    if shown is None or shown[0].call is None or shown[2] is not None or shown[1] is None:
        return None
    return shown[0], shown[0].call


def _same_sequence_kind(found: Found) -> tuple[Answer, Any, Any] | None:
    """The failing visible check, whose two values are both lists or both strings."""
    shown = _shown(found)
    if shown is None or type(shown[1]) is not type(shown[2]) or not isinstance(shown[1], (list, str)):
        return None
    return shown


def _base(answer: Answer) -> Facts:
    facts: Facts = {Fact.CHECK: answer.check}
    if not answer.hidden:
        facts[Fact.EXPECTED] = answer.expected or "null"
        facts[Fact.GOT] = answer.got or "null"
    if answer.call is not None:
        facts[Fact.CALL] = answer.call
    return facts


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _one_removed(longer: list[Any] | str, shorter: list[Any] | str) -> Any:
    """The one item of ``longer`` that ``shorter`` lacks, if taking it out makes them equal."""
    if len(longer) != len(shorter) + 1:
        return _ABSENT
    items, fewer = list(longer), list(shorter)
    for at in range(len(items)):
        if items[:at] + items[at + 1 :] == fewer:
            return items[at]
    return _ABSENT


def _function(found: Found, name: str) -> ast.FunctionDef | None:
    tree = found.clues.program.tree
    if tree is None:
        return None
    return next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name), None)


def _returns_a_value(function: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(function))


def _prints(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "print" for n in ast.walk(node))


# --- the questions, one per row -------------------------------------------------------------


def hidden(found: Found) -> Facts | None:
    answer = found.clues.answer
    return _base(answer) if answer is not None and answer.hidden else None


def call_failed(found: Found) -> Facts | None:
    """The check's call gave no value: it raised, or was never made."""
    answer = found.clues.answer
    if answer is None or answer.hidden or answer.got is not None or answer.call is None:
        return None
    return _base(answer)


def printed_instead_of_returned(found: Found) -> Facts | None:
    """``None`` came back from a function that prints and returns nothing."""
    shown = _none_where_a_value(found)
    if shown is None:
        return None
    function = _function(found, shown[1])
    if function is None or _returns_a_value(function) or not _prints(function):
        return None
    return _base(shown[0])


def nothing_returned(found: Found) -> Facts | None:
    """``None`` came back where a value was expected."""
    shown = _none_where_a_value(found)
    if shown is None:
        return None
    return _base(shown[0])


def unreturned_concept(found: Found) -> Concept:
    """A function that returns a value on some paths only misses a branch (an ``if`` without
    its last case); one that never returns one misunderstands what a function gives back."""
    function = _function(found, found[Fact.CALL])
    if function is not None and _returns_a_value(function) and any(isinstance(n, ast.If) for n in ast.walk(function)):
        return Concept.CONDITIONALS
    return Concept.FUNCTIONS


def nothing_printed(found: Found) -> Facts | None:
    shown = _shown(found)
    if shown is None or not shown[0].printed or shown[2] != "" or shown[1] == "":
        return None
    return _base(shown[0])


def wrong_type(found: Found) -> Facts | None:
    """A number where text was expected, a list where a number..., told apart by their JSON type."""
    shown = _shown(found)
    if shown is None or shown[2] is None or shown[0].printed:
        return None
    answer, expected, got = shown
    if type_name(expected) == type_name(got):
        return None
    return {**_base(answer), Fact.EXPECTED_TYPE: type_name(expected), Fact.GOT_TYPE: type_name(got)}


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def case_or_spacing(found: Found) -> Facts | None:
    """Text that is right but for its capitals or its spaces."""
    shown = _shown(found)
    if shown is None or not (isinstance(shown[1], str) and isinstance(shown[2], str)):
        return None
    return _base(shown[0]) if _plain(shown[1]) == _plain(shown[2]) else None


def one_item_short(found: Found) -> Facts | None:
    """The answer is the expected one with one item (or character) left out."""
    shown = _same_sequence_kind(found)
    if shown is None:
        return None
    missing = _one_removed(shown[1], shown[2])
    return None if missing is _ABSENT else {**_base(shown[0]), Fact.MISSING: _json(missing)}


def one_item_extra(found: Found) -> Facts | None:
    shown = _same_sequence_kind(found)
    if shown is None:
        return None
    extra = _one_removed(shown[2], shown[1])
    return None if extra is _ABSENT else {**_base(shown[0]), Fact.EXTRA: _json(extra)}


def off_by_one(found: Found) -> Facts | None:
    shown = _shown(found)
    if shown is None or not (_is_number(shown[1]) and _is_number(shown[2])):
        return None
    difference = shown[2] - shown[1]
    if difference not in (1, -1):
        return None
    return {**_base(shown[0]), Fact.DIFFERENCE: f"{int(difference):+d}"}


def _unbracketed_mix(tree: ast.AST) -> ast.BinOp | None:
    """An ``a + b / c``: the division happens first, which the learner may not mean."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, (ast.Add, ast.Sub))
            and isinstance(node.right, ast.BinOp)
            and isinstance(node.right.op, (ast.Div, ast.FloorDiv))
        ):
            return node
    return None


def order_of_operations(found: Found) -> Facts | None:
    """Numbers that differ, from a program that mixes ``+`` with ``/`` without brackets."""
    shown = _shown(found)
    if shown is None or not (_is_number(shown[1]) and _is_number(shown[2])):
        return None
    tree = found.clues.program.tree
    mixed = _unbracketed_mix(tree) if tree is not None else None
    if mixed is None:
        return None
    written = ast.unparse(mixed)
    return {**_base(shown[0]), Fact.WRONG: written} if len(written) <= MAX_FACT else None


def wrong_order(found: Found) -> Facts | None:
    """The right items, in another order."""
    shown = _same_sequence_kind(found)
    if shown is None:
        return None
    expected, got = shown[1], shown[2]
    try:
        same = Counter(map(_json, expected)) == Counter(map(_json, got))
    except TypeError:
        return None
    return _base(shown[0]) if same and expected != got else None


def any_wrong(found: Found) -> Facts | None:
    answer = found.clues.answer
    return None if answer is None else _base(answer)
