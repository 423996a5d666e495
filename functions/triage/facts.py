"""What a diagnosis found: the names, values and pieces of code an explanation needs (pure).

Facts come from two places only: the failing line (``nums[5]``, the header keyword,
the divisor) and the match of a diagnosis's pattern on Python's message (the type,
the attribute, the key). Each is plain text, never wording: what to say about them
is the concepts function's business. A row of the table lists the facts it needs
(``Row.needs``), so a row applies only where its explanation can be filled.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import re
import sys

from learnflow.events import Fact, Facts

HEADER = re.compile(r"^\s*(?P<keyword>for|while|if|elif|else|def|class|try|except|finally|with)\b")
SUBSCRIPT = re.compile(r"(?P<seq>[A-Za-z_]\w*(?:\.\w+)*)\[(?P<index>[^\[\]]+)\]")
CHAINED_SUBSCRIPT = re.compile(r"(?P<seq>[A-Za-z_]\w*(?:\.\w+)*(?:\[[^\[\]]+\])*)\[(?P<index>[^\[\]]+)\]")
SMART_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
BUILTIN_TYPES: dict[str, type] = {"str": str, "list": list, "dict": dict, "tuple": tuple, "set": set, "int": int, "float": float}
MODULE_MEMBERS: dict[str, str] = {
    "sqrt": "math",
    "pi": "math",
    "floor": "math",
    "ceil": "math",
    "pow": "math",
    "randint": "random",
    "choice": "random",
    "shuffle": "random",
    "random": "random",
    "sleep": "time",
    "date": "datetime",
    "datetime": "datetime",
}
"""Names beginners use without the module they live in (``sqrt`` after ``import math``)."""
BOOLEAN_TYPOS = frozenset({"true", "false"})
_RECEIVER = r"(?P<receiver>[A-Za-z_][\w.]*(?:\(\))?)"  # nums, self.items, get_name()
_SUGGESTION = re.compile(r"Did you mean:? '(?P<suggestion>[^']+)'")


def literal(text: str) -> object:
    """The Python value ``text`` writes, or None when it is not a literal."""
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def line_facts(text: str) -> Facts:
    """What the failing line shows, whatever the error."""
    facts: Facts = {}
    if header := HEADER.match(text):
        facts[Fact.KEYWORD] = header["keyword"]
        facts[Fact.WITH_COLON] = text.strip() + ":"
    if subscript := SUBSCRIPT.search(text):
        seq, index = subscript["seq"], subscript["index"].strip()
        facts[Fact.SEQ], facts[Fact.INDEX], facts[Fact.SUBSCRIPT] = seq, index, subscript[0]
        if re.fullmatch(r"-?\d+", index):
            facts[Fact.LITERAL_INDEX] = index
        if index.replace(" ", "") == f"len({seq})":
            facts[Fact.ONE_PAST] = subscript[0]
        if re.search(rf"{re.escape(subscript[0])}\s*\+=", text):
            facts[Fact.COUNTED] = subscript[0]
    if text.translate(SMART_QUOTES) != text:
        facts[Fact.STRAIGHT] = text.strip().translate(SMART_QUOTES)
    if quote := re.search(r"[\"']", text):
        facts[Fact.QUOTE] = quote[0]
    if printed := re.fullmatch(r"\s*print\s+(?P<args>.+?)\s*", text):
        facts[Fact.PRINT_CALL] = f"print({printed['args']})"
    if defined := re.fullmatch(r"\s*def\s+(?P<name>\w+)\s*:\s*", text):
        facts[Fact.DEF_FIXED] = f"def {defined['name']}():"
    # An = after an operator (+=, -=) is an update, not a comparison written wrong.
    if compare := re.fullmatch(r"(?P<head>\s*(?:if|elif|while)\b[^=]*?[^=!<>:+\-*/%])=(?P<tail>[^=].*)", text):
        facts[Fact.COMPARED] = f"{compare['head']}=={compare['tail']}".strip()
    if divided := re.search(r"(?:/|//|%)\s*(?P<divisor>[\w.]+(?:\([^()]*\))?)", text):
        facts[Fact.ZERO if re.fullmatch(r"0+(\.0*)?", divided["divisor"]) else Fact.DIVISOR] = divided["divisor"]
    if ".format(" in text:
        facts[Fact.FORMAT_CALL] = ".format(...)"
    if removed := re.search(r"(?P<owner>[A-Za-z_][\w.]*)\.remove\((?P<arg>[^()]+)\)", text):
        facts[Fact.REMOVED], facts[Fact.REMOVE_OWNER], facts[Fact.REMOVE_ARG] = removed[0], removed["owner"], removed["arg"]
    if popped := re.search(r"(?P<owner>[A-Za-z_][\w.]*)\.pop\((?P<arg>[^()]+)\)", text):
        facts[Fact.POPPED], facts[Fact.POP_OWNER], facts[Fact.POP_ARG] = popped[0], popped["owner"], popped["arg"]
    if called := re.search(r"(?P<callee>[A-Za-z_]\w*)\s*\(", text):
        facts[Fact.CALLEE] = called["callee"]
    if (assigned := re.match(r"^\s*(?P<word>\w+)\s*=[^=]", text)) and keyword.iskeyword(assigned["word"]):
        facts[Fact.KEYWORD_NAME] = assigned["word"]  # class = "math"
    return facts


def _subscript_with(text: str, key: str) -> re.Match[str] | None:
    """The subscript on the line whose index is the key a KeyError names (``d["a"]["b"]``),
    else the first one."""
    wanted = literal(key)
    for candidate in CHAINED_SUBSCRIPT.finditer(text):
        inner = re.search(r"\[(?P<index>[^\[\]]+)\]$", candidate[0])
        if wanted is not None and inner and literal(inner["index"]) == wanted:
            seq = candidate[0][: inner.start()]
            return re.match(rf"(?P<seq>{re.escape(seq)})\[(?P<index>{re.escape(inner['index'])})\]", candidate[0])
    return SUBSCRIPT.search(text)


def close_attribute(type_name: str, attr: str) -> str | None:
    """What 3.12+ suggests for a misspelt attribute of a built-in type, which 3.11 does not."""
    kind = BUILTIN_TYPES.get(type_name)
    if kind is None:
        return None
    close = difflib.get_close_matches(attr, [n for n in dir(kind) if not n.startswith("_")], n=1, cutoff=0.8)
    return close[0] if close else None


def name_facts(name: str, text: str) -> Facts:
    """What an undefined name was probably meant to be."""
    if name in sys.stdlib_module_names:
        return {Fact.MODULE_NAME: name}
    if name in MODULE_MEMBERS:
        return {Fact.MEMBER_OF: MODULE_MEMBERS[name]}
    if name in BOOLEAN_TYPOS:
        return {Fact.CAPITAL: name.capitalize()}
    if is_called(name, text):
        return {Fact.CALLED: name}
    if name[:1].isupper() and name[1:].islower():
        return {Fact.TEXT_LIKE: name}
    return {}


def is_called(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", text) is not None


def message_facts(match: re.Match[str], exception_type: str, text: str) -> Facts:
    """What the match of a row's pattern on the message says, read with the line."""
    facts: Facts = {Fact(k): v for k, v in match.groupdict().items() if v is not None}
    if suggestion := _SUGGESTION.search(match.string):
        facts[Fact.SUGGESTION] = suggestion["suggestion"]
    attr = facts.get(Fact.ATTR)
    if attr is not None and (receiver := re.search(rf"{_RECEIVER}\s*\.\s*{re.escape(attr)}\b", text)):
        facts[Fact.RECEIVER] = receiver["receiver"]
    if (key := facts.get(Fact.KEY)) is not None:
        if keyed := _subscript_with(text, key):
            facts[Fact.SEQ], facts[Fact.INDEX], facts[Fact.SUBSCRIPT] = keyed["seq"], keyed["index"], keyed[0]
        value = literal(key)
        facts[Fact.KEY_PLAIN] = str(value if value is not None else key)
    if (method := facts.get(Fact.METHOD)) is not None:
        facts[Fact.SHORT] = method.rpartition(".")[2]
    if Fact.SUGGESTION not in facts and attr is not None:
        if close := close_attribute(facts.get(Fact.TYPE, ""), attr):
            facts[Fact.SUGGESTION] = close
    if (name := facts.get(Fact.NAME)) is not None and exception_type == "NameError":
        facts.update(name_facts(name, text))
    return facts
