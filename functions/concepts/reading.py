"""What went wrong on the learner's own line, in plain words, and one next step (pure).

The evidence of a code-based struggle holds the failing line, its number, the
exception and Python's message (never the program). A table of readings turns them
into a sentence about *that* line ("`nums[5]` asks for the sixth item...") and one
concrete step for that error. Each row holds a pattern of the message, the
exceptions it applies to, and two templates whose ``{fields}`` come from the message
and the line; a row whose template needs a field the evidence cannot supply (no
subscript on the line, say) is skipped, so a more general row answers instead. The
last rows answer any exception, so every run with a failing line gets a reading.
"""

from __future__ import annotations

import ast
import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from learnflow.events import CodeEvidence, ExecutionStatus

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
SMART_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
HEADER = re.compile(r"^\s*(?P<keyword>for|while|if|elif|else|def|class|try|except|finally|with)\b")
SUBSCRIPT = re.compile(r"(?P<seq>[A-Za-z_]\w*(?:\.\w+)*)\[(?P<index>[^\[\]]+)\]")
CHAINED_SUBSCRIPT = re.compile(r"(?P<seq>[A-Za-z_]\w*(?:\.\w+)*(?:\[[^\[\]]+\])*)\[(?P<index>[^\[\]]+)\]")
MODULE_MEMBERS = {
    "sqrt": "math",
    "pi": "math",
    "floor": "math",
    "ceil": "math",
    "randint": "random",
    "choice": "random",
    "shuffle": "random",
    "sleep": "time",
}
"""Names beginners use without the module they live in (``sqrt`` after ``import math``)."""
BUILTIN_TYPES: dict[str, type] = {"str": str, "list": list, "dict": dict, "tuple": tuple, "set": set, "int": int, "float": float}


@dataclass(frozen=True)
class Reading:
    """The failing line, what Python's message means for it, and what to do next."""

    line: int | None
    line_text: str | None
    said: str  # "IndexError: list index out of range", or how the run ended
    meaning: str
    next_step: str


@dataclass(frozen=True)
class Row:
    errors: frozenset[str]  # exception types, or run statuses; empty: any
    pattern: re.Pattern[str]
    meaning: str
    next_step: str


class _Missing(KeyError):
    """A template field the evidence does not supply: the row does not apply."""


class _Facts(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise _Missing(key)


def code(text: str) -> str:
    """Inline Markdown code that survives backticks in ``text``."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padded = f" {text} " if fence != "`" else text
    return f"{fence}{padded}{fence}"


def _row(errors: str, pattern: str, meaning: str, next_step: str) -> Row:
    return Row(frozenset(errors.split()), re.compile(pattern), meaning, next_step)


def _position(index: str) -> str:
    """Plain words for a literal index: 5 -> "position 5, the sixth item"."""
    value = int(index)
    if value >= 0:
        nth = ORDINALS[value] if value < len(ORDINALS) else f"number {value + 1}"
        return f"position {value}, the {nth} item"
    back = -value
    nth = ORDINALS[back - 1] if back <= len(ORDINALS) else f"number {back}"
    return f"position {value}, the {nth} item from the end"


def _line_facts(text: str, line: int | None) -> dict[str, str]:
    facts = {"line": text.strip(), "n": str(line) if line is not None else "?"}
    if header := HEADER.match(text):
        facts["keyword"] = header["keyword"]
        facts["with_colon"] = text.strip() + ":"
    if subscript := SUBSCRIPT.search(text):
        facts["seq"], facts["index"] = subscript["seq"], subscript["index"].strip()
        facts["subscript"] = subscript[0]
        if re.fullmatch(r"-?\d+", facts["index"]):
            facts["position"] = _position(facts["index"])
        if facts["index"].replace(" ", "") == f"len({facts['seq']})":
            facts["one_past"] = facts["subscript"]
        if re.search(rf"{re.escape(subscript[0])}\s*\+=", text):
            facts["counted"] = subscript[0]
    if text.translate(SMART_QUOTES) != text:
        facts["straight"] = text.strip().translate(SMART_QUOTES)
    if quote := re.search(r"[\"']", text):
        facts["quote"] = quote[0]
    if printed := re.fullmatch(r"\s*print\s+(?P<args>.+?)\s*", text):
        facts["print_call"] = f"print({printed['args']})"
    if defined := re.fullmatch(r"\s*def\s+(?P<name>\w+)\s*:\s*", text):
        facts["def_fixed"] = f"def {defined['name']}():"
    if compare := re.fullmatch(r"(?P<head>\s*(?:if|elif|while)\b[^=]*?[^=!<>:])=(?P<tail>[^=].*)", text):
        facts["compared"] = f"{compare['head']}=={compare['tail']}".strip()
    if divided := re.search(r"(?:/|//|%)\s*(?P<divisor>[\w.]+(?:\([^()]*\))?)", text):
        facts["zero" if re.fullmatch(r"0+(\.0*)?", divided["divisor"]) else "divisor"] = divided["divisor"]
    if ".format(" in text:
        facts["format_call"] = "`.format(...)`"
    if removed := re.search(r"(?P<owner>[A-Za-z_][\w.]*)\.remove\((?P<arg>[^()]+)\)", text):
        facts["removed"], facts["remove_owner"], facts["remove_arg"] = removed[0], removed["owner"], removed["arg"]
    if popped := re.search(r"(?P<owner>[A-Za-z_][\w.]*)\.pop\((?P<arg>[^()]+)\)", text):
        facts["popped"], facts["pop_owner"], facts["pop_arg"] = popped[0], popped["owner"], popped["arg"]
    if called := re.search(r"(?P<callee>[A-Za-z_]\w*)\s*\(", text):
        facts["callee"] = called["callee"]
    return facts


_RECEIVER = r"(?P<receiver>[A-Za-z_][\w.]*(?:\(\))?)"  # nums, self.items, get_name()


def _literal(text: str) -> object:
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def _subscript_with(text: str, key: str) -> re.Match[str] | None:
    """The subscript on the line whose index is the key a KeyError names (``d["a"]["b"]``),
    else the first one."""
    wanted = _literal(key)
    found = list(CHAINED_SUBSCRIPT.finditer(text))
    for candidate in found:
        inner = re.search(r"\[(?P<index>[^\[\]]+)\]$", candidate[0])
        if wanted is not None and inner and _literal(inner["index"]) == wanted:
            seq = candidate[0][: inner.start()]
            return re.match(rf"(?P<seq>{re.escape(seq)})\[(?P<index>{re.escape(inner['index'])})\]", candidate[0])
    return SUBSCRIPT.search(text)


def _message_facts(match: re.Match[str], evidence: CodeEvidence, text: str) -> dict[str, str]:
    facts = {k: v for k, v in match.groupdict().items() if v is not None}
    if suggestion := re.search(r"Did you mean:? '(?P<suggestion>[^']+)'", evidence.message or ""):
        facts["suggestion"] = suggestion["suggestion"]
    if "attr" in facts and (receiver := re.search(rf"{_RECEIVER}\s*\.\s*{re.escape(facts['attr'])}\b", text)):
        facts["receiver"] = receiver["receiver"]
    for field in ("type", "other", "left", "right"):
        if field in facts:
            facts[f"a_{field}"] = ("an" if facts[field][:1].lower() in "aeiou" else "a") + f" `{facts[field]}`"
    facts["items"] = "characters" if (evidence.message or "").startswith("string") else "items"
    if "key" in facts and (keyed := _subscript_with(text, facts["key"])):
        facts["seq"], facts["index"], facts["subscript"] = keyed["seq"], keyed["index"], keyed[0]
    if "method" in facts:
        facts["short"] = facts["method"].rpartition(".")[2]
    if "suggestion" not in facts and (kind := BUILTIN_TYPES.get(facts.get("type", ""))) and "attr" in facts:
        # What 3.12+ would have suggested, for the built-in types 3.11 leaves without a hint.
        names = [n for n in dir(kind) if not n.startswith("_")]
        if close := difflib.get_close_matches(facts["attr"], names, n=1, cutoff=0.8):
            facts["suggestion"] = close[0]
    if "name" in facts and evidence.exception_type == "NameError":
        facts.update(_name_facts(facts["name"], text))
    if "key" in facts:
        facts["key_plain"] = str(_literal(facts["key"]) if _literal(facts["key"]) is not None else facts["key"])
    return facts


def _name_facts(name: str, text: str) -> dict[str, str]:
    """What an undefined name was probably meant to be."""
    if name in sys.stdlib_module_names:
        return {"module_name": name}
    if name in MODULE_MEMBERS:
        return {"member_of": MODULE_MEMBERS[name]}
    if name in ("true", "false"):
        return {"capital": name.capitalize()}
    if re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", text):
        return {"called": name}
    if name[:1].isupper() and name[1:].islower():
        return {"text_like": name}
    return {}


# --- the table --------------------------------------------------------------------------
# Templates: {line} the stripped line, {n} its number, named groups of the pattern, and
# what the line shows ({seq}[{index}], {keyword}, {divisor}, {receiver}...). Markdown.

ROWS: tuple[Row, ...] = (
    # --- code that does not parse -----------------------------------------------------------
    _row(
        "SyntaxError",
        r"^expected ':'$",
        "The `{keyword}` line opens a block, and Python needs a colon at its end to know where the block starts.",
        "Add the colon at the end of line {n}: `{with_colon}`.",
    ),
    _row(
        "SyntaxError",
        r"^unterminated (f-)?string literal",
        "The text that starts with `{quote}` on this line is never closed, so Python reads the rest of the line as part of it.",
        "End the text with the same quote it starts with. If the text itself contains that quote (It's), "
        'start and end it with the other kind: `"It\'s"`.',
    ),
    _row(
        "SyntaxError",
        r"^unterminated triple-quoted string literal",
        "The text opened with three quotes on line {n} is never closed, so everything after it is read as text.",
        "Add the same three quotes where the text should end.",
    ),
    _row(
        "SyntaxError",
        r"^invalid character '(?P<char>.)'",
        "Line {n} contains `{char}`, a typographic quote from a word processor; Python only knows the plain quotes `\"` and `'`.",
        "Retype the quotes in the editor: `{straight}`.",
    ),
    _row(
        "SyntaxError",
        r"Maybe you meant '==' or ':=' instead of '='",
        "`=` stores a value in a name; a condition compares two values, which is `==`.",
        "Write `==` in the condition: `{compared}`.",
    ),
    _row(
        "SyntaxError",
        r"^invalid syntax$",
        "`=` stores a value in a name; a condition compares two values, which is `==`.",
        "Write `==` in the condition: `{compared}`.",
    ),
    _row(
        "SyntaxError",
        r"^cannot assign to (?P<what>[\w ]+?) here",
        "The left side of `=` must be a name to store into; here it is a {what}, which is a value, not a place.",
        "Put the name on the left and the value on the right (`x = 5`, not `5 = x`); to compare, use `==`.",
    ),
    _row(
        "SyntaxError",
        r"Perhaps you forgot a comma",
        "Two values stand side by side on this line with nothing between them; items in a list, a call or a tuple are separated by commas.",
        "Find the two items next to each other in `{line}` and put a comma between them.",
    ),
    _row(
        "SyntaxError",
        r"^'(?P<bracket>[(\[{])' was never closed",
        "The `{bracket}` opened on this line is never closed, so Python keeps reading the next lines as part of it.",
        "Add the matching closing bracket where the expression ends; every opening bracket needs one.",
    ),
    _row(
        "SyntaxError",
        r"^unmatched '(?P<bracket>[)\]}])'",
        "There is a `{bracket}` on this line that no opening bracket matches: one closing bracket too many.",
        "Remove the extra `{bracket}`, or add the opening bracket it belongs to.",
    ),
    _row(
        "SyntaxError",
        r"^closing parenthesis '(?P<closing>.)' does not match opening parenthesis '(?P<bracket>.)'",
        "The `{bracket}` opened on this line is closed with `{closing}`: brackets must close in the reverse order they open.",
        "Close the `{bracket}` with its own partner before the `{closing}`: `(` with `)`, `[` with `]`, `{{` with `}}`.",
    ),
    _row(
        "SyntaxError",
        r"parentheses around the comprehension target",
        "A comprehension makes one value per item; a pair of values must be written as one tuple, in parentheses.",
        "Put the pair in parentheses: `[(x, y) for ...]`.",
    ),
    _row(
        "SyntaxError",
        r"^Missing parentheses in call to 'print'",
        "In Python 3 `print` is a function: what it prints goes in parentheses.",
        "Write `{print_call}`.",
    ),
    _row(
        "SyntaxError",
        r"^expected '\('$",
        "A function's name in a `def` must be followed by parentheses, even when it takes no parameters.",
        "Write `{def_fixed}`.",
    ),
    _row(
        "SyntaxError",
        r"^'return' outside function",
        "`return` hands a value back from a function, but line {n} is not inside a `def`.",
        "Indent it under the function it belongs to, or use `print(...)` to show the value.",
    ),
    _row(
        "SyntaxError",
        r"^'(?P<word>break|continue)' outside loop",
        "`{word}` only works inside a loop, and line {n} is not inside one.",
        "Move it into the loop's body, indented under its `while` or `for`.",
    ),
    _row(
        "SyntaxError",
        r"^invalid decimal literal",
        "A name cannot start with a digit: Python reads the start of it as a number that goes wrong.",
        "Rename it so it starts with a letter, for example `first_place` instead of `1st_place`.",
    ),
    _row(
        "SyntaxError",
        r"^leading zeros in decimal integer literals",
        "A whole number cannot start with `0` in Python (`07`).",
        "Drop the leading zero: `7`.",
    ),
    _row(
        "SyntaxError",
        r"^positional argument follows keyword argument",
        "Arguments given by position must come before arguments given by name.",
        'Put the positional arguments first, for example `greet(3, name="Ana")`, or name them all.',
    ),
    _row(
        "SyntaxError",
        r"^(non-default argument follows default argument|parameter without a default follows)",
        "Parameters without a default value must come before the ones that have one.",
        "Move the parameters with a default (`width=1`) to the end of the list.",
    ),
    _row(
        "SyntaxError",
        r"^expected 'except' or 'finally' block",
        "A `try:` block must be followed by an `except` (or `finally`) block at the same indentation, before line {n}.",
        "Add `except ValueError:` (or the error you expect), with its own indented block, right after the `try` block.",
    ),
    _row(
        "SyntaxError",
        r"^f-string",
        "The braces of an f-string must hold a name or an expression and be closed.",
        "Check the braces in `{line}`: each `{{` needs its `}}` and something inside, such as `{{name}}`.",
    ),
    _row(
        "IndentationError",
        r"^expected an indented block after (?P<what>.+?) on line (?P<opener>\d+)",
        "Line {opener} opens a block ({what}), so the line after it must be indented under it; line {n} is not.",
        "Indent line {n} by four spaces, and every line that belongs to the same block.",
    ),
    _row(
        "IndentationError",
        r"^unexpected indent",
        "Line {n} is indented, but nothing above it opens a block for it to belong to.",
        "Remove the spaces at the start of line {n}, or put it under the `if`, `for` or `def` it belongs to.",
    ),
    _row(
        "IndentationError",
        r"^unindent does not match",
        "Line {n} goes back to an indentation that none of the blocks above it uses.",
        "Line it up exactly with the block it belongs to, using four spaces for each level.",
    ),
    _row(
        "TabError",
        r"tabs and spaces",
        "Line {n} is indented with a tab while the lines around it use spaces; Python cannot tell how they line up.",
        "Replace the tab with spaces (most editors can turn tabs into spaces for the whole file).",
    ),
    _row(
        "SyntaxError",
        r".",
        "Python could not read line {n} as a Python statement.",
        "Compare `{line}` with the shape below, piece by piece: brackets and quotes in pairs, a colon after a block "
        "header, commas between items, `==` to compare.",
    ),
    # --- positions and keys ---------------------------------------------------------------------
    _row(
        "IndexError",
        r"^list assignment index out of range",
        "`{subscript} = ...` stores at a position `{seq}` does not have yet: assigning by position only replaces an item "
        "that exists, it never makes the list longer.",
        "Add items at the end with `{seq}.append(...)` instead.",
    ),
    _row(
        "IndexError",
        r"^pop from empty list",
        "`.pop()` on line {n} takes an item from a list that is already empty.",
        "Check that the list has items first (`if stack:`), or find where it should have been filled.",
    ),
    _row(
        "IndexError",
        r"^Replacement index \d+ out of range",
        "The text has more `{{}}` placeholders than values given to `.format(...)`.",
        "Give one value per `{{}}`, or write an f-string, which puts each value in its place.",
    ),
    _row(
        "IndexError",
        r"^pop index out of range",
        "`{popped}` asks for position {pop_arg}, which `{pop_owner}` does not have.",
        "Check `len({pop_owner})` first, or call `.pop()` without a position to take the last item.",
    ),
    _row(
        "IndexError",
        r"index out of range",
        "`{one_past}` asks for the position just after the last item: with n items, positions run from 0 to n - 1.",
        "For the last item write `{seq}[len({seq}) - 1]`, or simply `{seq}[-1]`.",
    ),
    _row(
        "IndexError",
        r"index out of range",
        "`{subscript}` asks for {position}, but `{seq}` has fewer {items} than that: positions start at 0, so the last "
        "one is `{seq}[len({seq}) - 1]`.",
        "Print `len({seq})` just before line {n} and use a position below it; to visit every item, loop with "
        "`for item in {seq}:` instead of counting positions.",
    ),
    _row(
        "IndexError",
        r"index out of range",
        "`{subscript}` asks for the item at position `{index}`, and at that moment `{index}` is past the end of `{seq}` "
        "(positions run from 0 to `len({seq}) - 1`).",
        "Print `{index}` and `len({seq})` just before line {n} to see where it runs past the end; "
        "`for item in {seq}:` needs no position at all.",
    ),
    _row(
        "KeyError",
        r"^(?P<key>.+)$",
        "{format_call} on line {n} is given no value named `{key_plain}`, which the text asks for with `{{{key_plain}}}`.",
        "Pass it by that exact name, `.format({key_plain}=...)`, or write an f-string.",
    ),
    _row(
        "KeyError",
        r"^'popitem\(\): dictionary is empty'",
        "`.popitem()` on line {n} takes an item out of a dictionary that is already empty.",
        "Check that it has items first: `if d:`.",
    ),
    _row(
        "KeyError",
        r"^(?P<key>.+)$",
        "`{popped}` removes the key {key}, which the dictionary (or set) does not have.",
        "Give a default for a missing key, `{pop_owner}.pop({pop_arg}, None)`, or check with `if {pop_arg} in {pop_owner}:` first.",
    ),
    _row(
        "KeyError",
        r"^(?P<key>.+)$",
        "`{removed}` removes an item the set does not hold.",
        "Use `{remove_owner}.discard({remove_arg})`, which does nothing for a missing item, or check with `in` first.",
    ),
    _row(
        "KeyError",
        r"^(?P<key>.+)$",
        "`{counted} += 1` reads the current count first, and the key {key} has none yet: the first time a key is "
        "seen, there is nothing to add 1 to.",
        "Start each key at 0: `{counted} = {seq}.get({index}, 0) + 1`.",
    ),
    _row(
        "KeyError",
        r"^(?P<key>.+)$",
        "`{subscript}` looks up the key {key}, and the dictionary has no such key. Keys must match exactly, "
        'upper and lower case and type included (`1` is not `"1"`).',
        "Print `{seq}.keys()` just before line {n} to see which keys it has, or use `{seq}.get({index})`, "
        "which gives `None` instead of failing.",
    ),
    _row(
        "ZeroDivisionError",
        r".",
        "Line {n} divides by `{zero}` as written: dividing by zero has no answer.",
        "Divide by the number you meant, or by a variable that holds it.",
    ),
    _row(
        "ZeroDivisionError",
        r".",
        "Line {n} divides by `{divisor}`, and at that moment it is 0: dividing by zero has no answer.",
        "Check it before dividing, `if {divisor} != 0:`, and decide what the result should be otherwise "
        "(the average of no scores, for example).",
    ),
    _row(
        "OverflowError",
        r".",
        "The result on line {n} is too large for a float, whose largest value is about 1.8e308.",
        "Use smaller values, or whole numbers (`int`), which have no such limit.",
    ),
    _row(
        "AssertionError",
        r"",
        "The `assert` on line {n} found its condition false: the program computes something other than what the test expects.",
        "Print both sides of the comparison just before line {n}, then follow the wrong one back to the step that made it.",
    ),
    # --- methods, attributes, types ---------------------------------------------------------------
    _row(
        "AttributeError",
        r"^'NoneType' object has no attribute '(?P<attr>\w+)'",
        "`{receiver}` holds `None`, not the value you expect: a function that returns nothing, or a method such as "
        "`.sort()` or `.append()` that changes a list in place and returns `None`, was stored into it.",
        "Find where `{receiver}` got its value: keep the list itself instead of the result of `.append()` or `.sort()`, "
        "or add a `return` to the function.",
    ),
    _row(
        "AttributeError",
        r"^module '(?P<module>[\w.]+)' has no attribute '(?P<attr>\w+)'",
        "The `{module}` module has no `{attr}`; Python suggests `{suggestion}`.",
        "Write `{module}.{suggestion}`.",
    ),
    _row(
        "AttributeError",
        r"^module '(?P<module>[\w.]+)' has no attribute '(?P<attr>\w+)'",
        "The `{module}` module has no `{attr}`: the name is misspelt, or it lives in another module.",
        "List what it has with `print(dir({module}))` and use the right name.",
    ),
    _row(
        "AttributeError",
        r"^'(?P<type>\w+)' object has no attribute '(?P<attr>\w+)'",
        "`{receiver}` holds {a_type}, and {a_type} has no `{attr}`; Python suggests `{suggestion}`.",
        "Write `.{suggestion}` instead of `.{attr}`.",
    ),
    _row(
        "AttributeError",
        r"^'(?P<type>str)' object has no attribute '(?P<attr>append|extend|insert|remove|sort)'",
        "`{receiver}` holds a string, and `.{attr}()` is a list method: a string cannot be changed in place.",
        'Build a new string instead, for example `{receiver} = {receiver} + "!"`, or collect the parts in a list '
        'and join them at the end with `"".join(parts)`.',
    ),
    _row(
        "AttributeError",
        r"^type object '(?P<cls>\w+)' has no attribute '(?P<attr>\w+)'",
        "The class `{cls}` has no `{attr}`: it is misspelt, not defined inside the class (indented under it), "
        "or it belongs to the objects made from the class rather than to the class.",
        "Check the spelling and indentation of `{attr}` in `class {cls}:`; for a method, call it on an object: `{cls}().{attr}()`.",
    ),
    _row(
        "AttributeError",
        r"^'(?P<type>\w+)' object has no attribute '(?P<attr>\w+)'",
        "`{receiver}` holds {a_type}, and {a_type} has no `{attr}`; that name belongs to another type, "
        "or was never set on this object.",
        "Check what `{receiver}` holds just before line {n} (`print(type({receiver}))`), and use a method or "
        "attribute of that type.",
    ),
    _row(
        "AttributeError",
        r"^'(?P<type>\w+)' object has no attribute '(?P<attr>\w+)'",
        "The value before `.{attr}` on line {n} is {a_type}, and {a_type} has no `{attr}`.",
        "Check what each value on the line holds (`print(type(...))`) and use a method of that type.",
    ),
    _row(
        "TypeError",
        r'^can only concatenate str \(not "(?P<other>\w+)"\) to str',
        "`+` on line {n} joins text with {a_other}; Python does not turn the `{other}` into text by itself.",
        'Convert it with `str(...)`, or let an f-string do it: `f"Age: {{age}}"`.',
    ),
    _row(
        "TypeError",
        r'^can only concatenate list \(not "(?P<other>\w+)"\) to list',
        "`+` joins two lists, and line {n} adds {a_other} to a list.",
        "Add one item with `.append(...)`, or put it in a list first: `nums + [3]`.",
    ),
    _row(
        "TypeError",
        r"^unsupported operand type\(s\) for (?P<op>[-/*%]+): 'str' and 'str'",
        "Text cannot be used with `{op}`: `+` joins texts, but there is no text subtraction or division.",
        'To remove letters use `.replace("a", "")`; to compute, convert the texts to numbers first.',
    ),
    _row(
        "TypeError",
        r"'NoneType'",
        "One of the values on line {n} is `None`: usually the result of a function that prints instead of returning, "
        "or of a method like `.sort()` that returns nothing.",
        "Make the function `return` its result, and keep the list itself rather than what `.sort()` returns.",
    ),
    _row(
        "TypeError",
        r"^(unsupported operand type\(s\) for (?P<op>\S+)|'(?P<cmp>\S+)' not supported between instances of) '(?P<left>str|int|float)' and '(?P<right>str|int|float)'",
        "Line {n} mixes {a_left} and {a_right}: one of the values is text, probably read with `input()`, "
        "and Python will not guess which type you mean.",
        "Convert the text before computing or comparing: `int(...)` or `float(...)`.",
    ),
    _row(
        "TypeError",
        r"^'(?P<type>int|float)' object is not iterable",
        "`for` walks over the items of a collection, and a number has no items.",
        "Count with `range(...)`: `for i in range(n):`, or `for i in range(len(items)):`.",
    ),
    _row(
        "TypeError",
        r"^'(?P<type>int|float)' object is not subscriptable",
        "`[...]` picks an item out of a sequence, and a number is not a sequence.",
        "To get a digit, turn the number into text first: `str(number)[0]`.",
    ),
    _row(
        "TypeError",
        r"^'(?P<type>tuple|str)' object does not support item assignment",
        "A `{type}` cannot be changed once it is made, so `{subscript} = ...` is not allowed.",
        'Build a new value (`word = "b" + word[1:]`), or use a list if the items must change.',
    ),
    _row(
        "TypeError",
        r"^'(?P<type>set|dict_keys|dict_values|dict_items|generator|map|filter|zip)' object is not subscriptable",
        "`{subscript}` picks an item by position, but `{seq}` holds {a_type}, which has no positions.",
        "Loop over it with `for item in {seq}:`, or make a list first: `list({seq})[{index}]`.",
    ),
    _row(
        "TypeError",
        r"^object of type '(?P<type>generator|map|filter|zip)' has no len\(\)",
        "A `{type}` makes its items one at a time and does not know how many there will be.",
        "Make a list first, `list(...)`, or count the items while looping over them.",
    ),
    _row(
        "TypeError",
        r"^object of type '(?P<type>int|float)' has no len\(\)",
        "`len()` counts the items of a collection or the characters of a text, and a number has neither.",
        "To count digits, turn the number into text first: `len(str(number))`.",
    ),
    _row(
        "TypeError",
        r"^cannot unpack non-iterable (?P<type>\w+) object",
        "Line {n} names several variables to unpack into, so each value must hold that many items; here a value is "
        "a single `{type}`.",
        "Use one variable per value (`for n in numbers:`), or pair values up with `zip(...)` or `enumerate(...)`.",
    ),
    _row(
        "TypeError",
        r"indices must be integers( or slices)?, not '?float",
        "`{subscript}` uses a float as a position: `/` always gives a float (7 / 2 is 3.5), and positions are whole numbers.",
        "Divide with `//` to get a whole number: `len({seq}) // 2`.",
    ),
    _row(
        "TypeError",
        r"indices must be integers( or slices)?, not '?str",
        "`{subscript}` uses `{index}` as a position, and `{index}` holds text; positions are whole numbers.",
        "In a `for` loop over the items, use the item itself instead of `{seq}[...]`; otherwise convert: `{seq}[int({index})]`.",
    ),
    _row(
        "TypeError",
        r"^'float' object cannot be interpreted as an integer",
        "`range()` counts in whole numbers, and the value given on line {n} is a float (`/` always gives one).",
        "Divide with `//` to get a whole number, or convert with `int(...)`.",
    ),
    _row(
        "TypeError",
        r"^'str' object cannot be interpreted as an integer",
        "`range()` counts in whole numbers, and the value given on line {n} is text, probably read with `input()`.",
        "Convert it first: `range(int(n))`.",
    ),
    _row(
        "TypeError",
        r"^can't multiply sequence by non-int of type '(?P<type>\w+)'",
        "`*` repeats a text or a list a whole number of times, and the other value here is {a_type}: one of the "
        "values is text that should have been a number.",
        "Convert the text to a number first: `float(amount) * 1.5`.",
    ),
    _row(
        "TypeError",
        r"^sequence item \d+: expected str instance, (?P<type>\w+) found",
        "`.join()` glues texts together, and the list holds {a_type}.",
        'Turn each item into text first: `", ".join(str(x) for x in items)`.',
    ),
    _row(
        "TypeError",
        r"^not enough arguments for format string",
        "The text has more `%` placeholders than values after the `%`.",
        'Give one value per placeholder, in a tuple: `"%d and %d" % (x, y)`, or write an f-string.',
    ),
    _row(
        "TypeError",
        r"^%(?P<code>\w) format: a (?P<wanted>[\w ]+?) is required, not (?P<type>\w+)",
        "`%{code}` formats a {wanted}, and the value given is {a_type}.",
        "Use `%s` for text, or an f-string that puts the value in place.",
    ),
    _row(
        "TypeError",
        r"^((?P<conv>int|float)\(\) argument must be|type (?P<type>\w+) doesn't define __round__)",
        "The value converted on line {n} has a type the conversion cannot take.",
        "Print the value just before line {n} (`print(type(...))`); convert text with `int()`/`float()`, and pick one item out of a list first.",
    ),
    _row(
        "TypeError",
        r"^exceptions must derive from BaseException",
        "`raise` needs an exception object, and line {n} raises something else, such as a text.",
        'Raise an exception with the text as its message: `raise ValueError("something went wrong")`.',
    ),
    _row(
        "TypeError",
        r"^<lambda>\(\) (missing|takes)",
        "The `lambda` on line {n} takes a different number of parameters than it is called with (a `key=` function gets one item at a time).",
        "Give it one parameter per value it receives, for example `key=lambda w: len(w)`.",
    ),
    _row(
        "TypeError",
        r"^(?P<method>(?P<owner>\w+)\.\w+)\(\) takes (exactly|at least) (?P<count>\w+) argument",
        "`{method}()` takes {count} argument(s), and line {n} passes a different number.",
        "Pass exactly what it takes; for several items call it once per item, or use `.extend([...])` for a list.",
    ),
    _row(
        "TypeError",
        r"^(?P<method>\w+)(\(\))? (takes at least|expected at least) (?P<count>\d+) argument",
        "`.{method}()` needs at least {count} argument(s), and line {n} gives it fewer.",
        'Pass what it needs, for example the text to look for: `word.{method}("a")`.',
    ),
    _row(
        "TypeError",
        r"^(?P<method>\w+\.(?!__init__)\w+)\(\) takes (?P<takes>\d+) positional arguments? but (?P<given>\d+) (was|were) given",
        "Python passes the object itself as the first argument of every method, so `{method}` receives one argument "
        "more than the call shows; its first parameter must be `self`.",
        "Make `self` the first parameter: `def {short}(self, ...):`.",
    ),
    _row(
        "TypeError",
        r"^(?P<method>\w+\.\w+)\(\) missing 1 required positional argument: 'self'",
        "`{method}` is called on the class itself, not on an object, so nothing fills `self`.",
        "Make an object first and call the method on it: `d = Dog()` and then `d.{short}()`.",
    ),
    _row(
        "TypeError",
        r"^(?P<cls>\w+)\(\) takes no arguments",
        "`{cls}` has no `__init__` that takes arguments: check the spelling, two underscores on each side.",
        "Name the method `__init__` exactly: `def __init__(self, ...):`.",
    ),
    _row(
        "TypeError",
        r"^(?P<func>[\w.<>]+)\(\) (missing \d+ required|takes \d+ positional|got an unexpected keyword)",
        "The call on line {n} passes a different set of arguments than `{func}` lists in its definition.",
        "Compare the call with the `def` line of `{func}` and pass one value for each parameter.",
    ),
    _row(
        "TypeError",
        r"^not all arguments converted during string formatting",
        "`%` on text formats a string, so the value left of `%` on line {n} is text, probably read with `input()`, not a number.",
        "Convert it first, for example `int(n) % 2`.",
    ),
    _row(
        "TypeError",
        r"^unhashable type: '(?P<type>\w+)'",
        "A dictionary key or a set item must be a value that cannot change, and {a_type} can.",
        "Use a tuple instead of the list, for example `(1, 2)`.",
    ),
    _row(
        "TypeError",
        r"^'(?P<type>\w+)' object is not callable",
        "The parentheses after a name call it as a function, but on line {n} that name holds {a_type}.",
        "Use `[...]` to pick an item, or rename the variable that hides a function of the same name.",
    ),
    # --- values -----------------------------------------------------------------------------------
    _row(
        "ValueError",
        r"^invalid literal for int\(\) with base 10: (?P<value>.*)$",
        "`int()` turns text made only of digits into a number, and {value} is not such a text.",
        "Check the text before converting (`text.isdigit()`), or catch the error with `try:` / `except ValueError:`.",
    ),
    _row(
        "ValueError",
        r"^could not convert string to float: (?P<value>.*)$",
        '`float()` turns text such as `"1.5"` into a number, and {value} is not such a text (a decimal point, not a comma).',
        "Check the text before converting, or catch the error with `try:` / `except ValueError:`.",
    ),
    _row(
        "ValueError",
        r"^(math domain error|\w+\(\) not defined for negative values)",
        "A math function on line {n} got a value it has no answer for, such as the square root of a negative number.",
        "Check the value before the call, for example `if x >= 0:`.",
    ),
    _row(
        "ValueError",
        r"(x not in list|(?P<item>.+) is not in list)$",
        "`.remove()` and `.index()` look for a value in the list, and the list does not hold it.",
        "Check first with `in`, for example `if 5 in nums:`.",
    ),
    _row(
        "ValueError",
        r"^substring not found",
        "`.index()` looks for a piece of text that the string does not contain.",
        "Use `.find(...)`, which gives -1 instead of failing, or check with `in` first.",
    ),
    _row(
        "ValueError",
        r"^empty separator",
        '`.split("")` cannot split on nothing.',
        "To get the characters one by one, use `list(text)`.",
    ),
    _row(
        "ValueError",
        r"^(?P<func>max|min)\(\) (arg is an empty sequence|iterable argument is empty)",
        "`{func}()` of an empty collection has no answer.",
        "Check that it has items first (`if scores:`), or give a default: `{func}(scores, default=0)`.",
    ),
    _row(
        "ValueError",
        r"^range\(\) arg 3 must not be zero",
        "The third number of `range()` is the step, and a step of 0 would never move.",
        "Use a step of 1, or -1 to count down.",
    ),
    _row(
        "ValueError",
        r"^Unknown format code '(?P<code>\w)' for object of type '(?P<type>\w+)'",
        "The format `:{code}` on line {n} does not apply to {a_type}: `f` and `d` are for numbers, and a number kept as text is a `str`.",
        "Convert the value first (`float(price)`, `int(x)`), or use a format for its type.",
    ),
    _row(
        "ValueError",
        r"^I/O operation on closed file",
        "The file was closed when its `with` block ended, and line {n} still uses it.",
        "Move the line into the `with` block, indented under it.",
    ),
    _row(
        "ValueError",
        r"^(too many|not enough) values to unpack \(expected (?P<expected>\d+)",
        "The left side of line {n} names {expected} variables, but the value on the right has a different number of items.",
        "Name one variable per item; to loop over a dictionary's keys and values, use `.items()`.",
    ),
    # --- runs that ended by a limit ---------------------------------------------------------------
    _row(
        "RecursionError",
        r".",
        "The function on line {n} keeps calling itself and never reaches a case that stops; Python gives up after "
        "about a thousand nested calls.",
        "Add a base case at the top of the function that returns without calling itself, and make each call move "
        "towards it (for example `n - 1` when the base case is `n == 0`).",
    ),
    _row(
        "UnboundLocalError",
        r"variable '(?P<name>\w+)'",
        "Because `{name}` is assigned somewhere in this function, Python treats it as the function's own variable "
        "everywhere in it, and line {n} uses it before it has a value.",
        "Give `{name}` a value at the start of the function, or pass it in as a parameter and return the new value.",
    ),
    _row(
        "NameError",
        r"^name '(?P<name>\w+)' is not defined\. Did you mean: 'self\.(?P<attr>\w+)'",
        "`{name}` is an attribute of the object, and a method reaches the object's attributes through `self`.",
        "Write `self.{attr}`.",
    ),
    _row(
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        "`{module_name}` is a module, and a program must import a module before using it.",
        "Add `import {module_name}` at the top of the program.",
    ),
    _row(
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        "`{name}` lives in the `{member_of}` module; importing the module does not make its functions names of their own.",
        "Write `{member_of}.{name}` after `import {member_of}`, or import it by name: `from {member_of} import {name}`.",
    ),
    _row(
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        "Python's truth values are written with a capital letter: `True` and `False`.",
        "Write `{capital}`.",
    ),
    _row(
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        "`{text_like}` has no quotes, so Python reads it as the name of a variable, not as text.",
        'Put text in quotes: `"{text_like}"`.',
    ),
    _row(
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        "Line {n} calls `{called}(...)`, but no function or class of that name exists at this point: it is misspelt "
        "(names are case-sensitive), or its `def` or `class` comes later in the program.",
        "Check the spelling (`print`, `len`), and put the definition above the first line that uses it.",
    ),
    _row(
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        "Python does not know the name `{name}` on line {n}; the closest name it knows is `{suggestion}`.",
        "If you meant `{suggestion}`, write that; otherwise make sure `{name}` gets a value before line {n}, "
        "in a place this line can see.",
    ),
    _row(
        "NameError",
        r"^name '(?P<name>\w+)' is not defined",
        "Python does not know the name `{name}` on line {n}: it is misspelt, never given a value before this line, "
        "or given one where this line cannot see it (inside another function); a module must be imported first.",
        "Check the spelling against where `{name}` is created, and make sure that happens before line {n}, "
        "in a place this line can see.",
    ),
    _row(
        "StopIteration",
        r"",
        "`next()` on line {n} asks an iterator for another item after it has given all of them.",
        "Loop with `for`, which stops by itself, or give a default: `next(it, None)`.",
    ),
    _row(
        "FileNotFoundError",
        r"",
        "The file opened on line {n} does not exist in the folder the program runs in.",
        "Check its name; programs here run in an empty folder, so write the file first or keep the data in the program.",
    ),
    _row(
        "ModuleNotFoundError",
        r"^No module named '(?P<module>[\w.]+)'",
        "There is no module called `{module}` here: the name is misspelt, or it is not part of the standard library.",
        "Check the spelling and case (`math`, `random`, `datetime`); only the standard library can be imported.",
    ),
    _row(
        "ImportError",
        r"^cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)'",
        "The `{module}` module exists, but it has no `{name}`.",
        "Check the spelling and case of `{name}`; `print(dir({module}))` lists what the module has.",
    ),
    # --- anything else: still about the line -----------------------------------------------------
    _row(
        "",
        r"",
        "Python stopped on line {n}: the message names the value or operation it could not handle there.",
        "Print the values used on line {n} just before it runs, and check each against what the message says.",
    ),
)

RUN_ENDS: Mapping[ExecutionStatus, tuple[str, str, str]] = {
    ExecutionStatus.TIMEOUT: (
        "it was stopped when its time ran out",
        "A program that never finishes usually has a loop whose condition never becomes false.",
        "Check that something inside each loop moves it towards its end: a counter that changes, or a `break`.",
    ),
    ExecutionStatus.MEMORY_EXCEEDED: (
        "it was stopped when it ran out of memory",
        "Something in the program grows without end, usually a list filled inside a loop that never stops.",
        "Check what the loop adds to, and that the loop has a way to end.",
    ),
    ExecutionStatus.OUTPUT_EXCEEDED: (
        "it was stopped after printing more than the limit",
        "A program that prints without end usually has a loop whose condition never becomes false.",
        "Check that the loop's variable changes inside the loop, so that its condition can become false.",
    ),
}


def _said(evidence: CodeEvidence) -> str:
    if evidence.exception_type is None:
        return evidence.status.value
    # An ImportError names the module's file on the server: noise to the learner.
    message = re.sub(r" \(/[^()]*\)", "", evidence.message or "")
    return f"{evidence.exception_type}: {message}" if message else evidence.exception_type


def read_evidence(evidence: CodeEvidence) -> Reading:
    """The reading of one run's evidence: the first row whose fields the evidence supplies."""
    ending = RUN_ENDS.get(evidence.status)
    if ending is not None and evidence.exception_type in (None, "MemoryError"):
        how, meaning, step = ending
        if evidence.line is not None:
            meaning += f" Line {evidence.line} was running when it happened."
        return Reading(evidence.line, evidence.line_text, f"the program did not finish: {how}", meaning, step)
    text = evidence.line_text or ""
    kind = evidence.exception_type or evidence.status.value
    for row in ROWS:
        if row.errors and kind not in row.errors:
            continue
        match = row.pattern.search(evidence.message or "")
        if match is None:
            continue
        facts = _Facts({**_line_facts(text, evidence.line), **_message_facts(match, evidence, text)})
        try:
            meaning, step = row.meaning.format_map(facts), row.next_step.format_map(facts)
        except _Missing:
            continue
        return Reading(evidence.line, evidence.line_text, _said(evidence), meaning, step)
    raise AssertionError("the last row answers any evidence")  # pragma: no cover
