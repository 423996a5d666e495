"""Questions a diagnosis asks the learner's program, each answered with facts or None (pure).

Each check takes what a row found (the message's facts, the clues, the program read
around the failing line) and returns the facts its explanation needs, or None when
the program does not show that mistake. Syntax checks read the failing line's
tokens, because CPython says only "invalid syntax" for many mistakes; runtime checks
read the program's tree, because a NameError cannot tell a method called without
``self.`` from a typo. The situations come from the ``invalid_*`` rules of CPython's
grammar that a beginner reaches, written here in the learner's terms.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import importlib
import itertools
import keyword
import re
import tokenize

from learnflow.events import Fact, Facts

from .diagnosis import Found
from .program import Program, class_members

# Words Python reserves that a learner may try as a name (True/False/None have messages of their own).
_NAME_LIKE_KEYWORDS = frozenset(keyword.kwlist) - {"True", "False", "None"}
_ASSIGNMENT_OPS = frozenset({"=", "+=", "-=", "*=", "/=", "//=", "%=", "**="})
_EXPECTS_A_NAME = frozenset({"def", "class", "as", "."})
_BINARY_OPS = frozenset({"+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", ">", "<=", ">=", "and", "or", "in", "is"})
_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">="})
_VALUE_KINDS = frozenset({tokenize.NAME, tokenize.NUMBER, tokenize.STRING})
_STATEMENT_WORDS = frozenset(
    {"if", "for", "while", "return", "import", "def", "class", "pass", "break", "continue", "del", "raise", "global", "with"}
)
_DEF_LOOKALIKES = frozenset({"function", "func", "fun", "define", "Function", "Def", "DEF", "fn"})
_CLOSERS = frozenset({")", "]", "}"})
_IMAGINARY_I = re.compile(r"(?<![\w.])(?P<number>\d+(?:\.\d*)?|\.\d+)[iI]\b")
_DIGIT_THEN_NAME = re.compile(r"(?<![\w.])(?P<number>\d+(?:\.\d+)?)(?P<name>[A-Za-z_]\w*)")
_ARROWS = {"=>": ">=", "=<": "<=", "<>": "!="}
_C_OPERATORS = {"&&": "and", "||": "or", "!": "not "}
_IN_PLACE_METHODS = frozenset({"sort", "append", "extend", "insert", "remove", "reverse", "clear"})


def _program(found: Found) -> Program:
    return found.clues.program


def _words(found: Found) -> tuple[str, ...]:
    return _program(found).words


def _code_tokens(found: Found) -> list[tuple[int, str, int]]:
    return [(t.kind, t.text, t.column) for t in _program(found).tokens if t.text.strip() and t.kind != tokenize.COMMENT]


# --- the failing line, read token by token (syntax errors) -----------------------------------


def keyword_as_name(found: Found) -> Facts | None:
    """``def = 2``, ``for class in x``, ``def f(lambda):``: a reserved word where a name goes."""
    words = _words(found)
    for at, word in enumerate(words):
        if word not in _NAME_LIKE_KEYWORDS:
            continue
        before = words[at - 1] if at else ""
        after = words[at + 1] if at + 1 < len(words) else ""
        if (
            (after in _ASSIGNMENT_OPS and (at == 0 or before in (",", "(")))
            or (before in _EXPECTS_A_NAME and not (word == "import" and words[:1] == ("from",)))
            or (before == "for" and after == "in")
            or (before == "import" and word not in ("from",))
            or (words[:1] == ("def",) and before in ("(", ",") and after in (")", ",", "=", ":"))
        ):
            return {Fact.KEYWORD_NAME: word}
    return None


def and_in_import(found: Found) -> Facts | None:
    """``from math import sin and cos``: ``and`` joins conditions; an import list takes commas."""
    words = _words(found)
    if words[:1] not in (("from",), ("import",)) or "and" not in words:
        return None
    line = found.clues.line_text.strip()
    head, _, names = line.partition(" import ") if words[0] == "from" else ("", "", line.removeprefix("import").strip())
    fixed_names = re.sub(r"\s+and\s+", ", ", names)
    fixed = f"{head} import {fixed_names}" if head else f"import {fixed_names}"
    return {Fact.WRONG: names, Fact.FIXED: fixed}


def imaginary_i(found: Found) -> Facts | None:
    """``3.0i``: Python writes the imaginary unit ``j``."""
    if match := _IMAGINARY_I.search(found.clues.line_text):
        return {Fact.WRONG: match[0], Fact.FIXED: match["number"] + "j"}
    return None


def number_times_name(found: Found) -> Facts | None:
    """``y = 2x + 1``: algebra's implied multiplication, right of ``=`` (left of it, ``1st = 3``
    is a name that starts with a digit)."""
    line = found.clues.line_text
    if re.match(r"\s*(import|from|def|class)\b", line):
        return None
    _, equals, value = line.partition("=") if re.search(r"[^=!<>]=[^=]", line) else ("", "", line)
    match = _DIGIT_THEN_NAME.search(value if equals else line)
    if match is None or (not equals and match.start() == len(line) - len(line.lstrip())):
        return None  # at the start of a line it is a name (1st_place), not a product
    if match["name"].lower() in ("e", "j") or match["name"][0] == "_":
        return None
    if match["number"] == "0" and match["name"][:1].lower() in ("x", "o", "b"):
        return None  # 0x1F, 0o17, 0b101: other bases
    return {Fact.WRONG: match[0], Fact.FIXED: f"{match['number']} * {match['name']}"}


def name_with_digit_first(found: Found) -> Facts | None:
    """``1st_place = 3``: a name written with a digit first."""
    if match := re.match(r"\s*(?P<wrong>\d+[A-Za-z_]\w*)\s*=", found.clues.line_text):
        return {Fact.WRONG: match["wrong"]}
    return None


def triple_equals(found: Found) -> Facts | None:
    """``x === 2``: JavaScript's strict equality; Python compares with ``==``."""
    line = found.clues.line_text
    for wrong, fixed in (("!==", "!="), ("===", "==")):
        if wrong in line:
            return {Fact.WRONG: wrong, Fact.FIXED: fixed}
    return None


def arrow_comparison(found: Found) -> Facts | None:
    """``x => 3``: the comparison written backwards (``>=``), or ``<>`` for ``!=``."""
    tokens = _code_tokens(found)
    for (_, first, at), (_, second, then) in itertools.pairwise(tokens):
        pair = first + second
        if pair in _ARROWS and then == at + len(first):
            return {Fact.WRONG: pair, Fact.FIXED: _ARROWS[pair]}
    if "<>" in (t for _, t, _ in tokens):
        return {Fact.WRONG: "<>", Fact.FIXED: "!="}
    return None


def c_operator(found: Found) -> Facts | None:
    """``a && b``, ``a || b``, ``!done``: C's logical operators; Python spells them out."""
    line = re.sub(r"([\"']).*?\1", "", found.clues.line_text)  # not inside text
    for wrong, fixed in _C_OPERATORS.items():
        if wrong == "!" and re.search(r"!(?!=)", line) is None:
            continue
        if wrong in line:
            return {Fact.WRONG: wrong, Fact.FIXED: fixed.strip()}
    return None


def c_style_for(found: Found) -> Facts | None:
    """``for (i = 0; i < 10; i++)`` or ``for i = 0 to 10``: a counting loop from another language."""
    words = _words(found)
    if words[:1] != ("for",) or "in" in words:
        return None
    if ";" in words or "=" in words or "to" in words:
        return {Fact.WRONG: found.clues.line_text.strip()}
    return None


def for_without_in(found: Found) -> Facts | None:
    """``for i range(10):`` or ``for i 1 to 10``: the ``in`` of a for header is missing."""
    words = _words(found)
    if words[:1] == ("for",) and "in" not in words and len(words) > 2 and words[2] not in ("=", ";"):
        return {Fact.NAME: words[1]}
    return None


def import_then_from(found: Found) -> Facts | None:
    """``import sqrt from math``: the two halves of ``from math import sqrt`` swapped (3.12
    names it; 3.11 says only "invalid syntax")."""
    words = _words(found)
    if found.message.startswith("Did you mean") or (words[:1] == ("import",) and "from" in words):
        return {}
    return None


def for_to(found: Found) -> Facts | None:
    """``for i in 1 to 10:``: ``to`` is not Python; a range of numbers is ``range``."""
    words = _words(found)
    if words[:1] != ("for",) or "in" not in words or "to" not in words:
        return None
    at = words.index("to")
    start = words[words.index("in") + 1 : at]
    end = words[at + 1 :]
    end = end[:-1] if end[-1:] == (":",) else end
    first, last = "".join(start) or "0", "".join(end) or "?"
    stop = str(int(last) + 1) if last.isdigit() else f"{last} + 1"
    return {Fact.NAME: words[1], Fact.FIXED: f"for {words[1]} in range({first}, {stop}):"}


def braces_for_block(found: Found) -> Facts | None:
    """``if x > 3 {``: braces around a block; Python uses a colon and indentation."""
    words = _words(found)
    if words[-1:] == ("{",) or words == ("}",):
        return {Fact.WRONG: words[-1]}
    return None


def else_without_if(found: Found) -> Facts | None:
    """``else:`` or ``elif`` with no ``if`` just above it at the same indentation."""
    words = _words(found)
    if words[:1] not in (("else",), ("elif",)) or words[:2] == ("else", "if"):
        return None
    return {Fact.KEYWORD: words[0]}


def else_if(found: Found) -> Facts | None:
    """``else if x:``: Python joins the two words, ``elif``."""
    if _words(found)[:2] == ("else", "if"):
        return {Fact.FIXED: re.sub(r"\belse\s+if\b", "elif", found.clues.line_text.strip(), count=1)}
    return None


def capitalised_keyword(found: Found) -> Facts | None:
    """``If x > 3:``, ``Def f():``: a keyword with a capital letter is just a name to Python."""
    words = _words(found)
    first = words[0] if words else ""
    if first and first != first.lower() and keyword.iskeyword(first.lower()) and first not in ("True", "False", "None"):
        return {Fact.WRONG: first, Fact.FIXED: first.lower(), Fact.KEYWORD: first.lower()}
    return None


def def_lookalike(found: Found) -> Facts | None:
    """``function greet():``: a function is defined with ``def``."""
    words = _words(found)
    if len(words) >= 3 and words[0] in _DEF_LOOKALIKES and words[2] == "(":
        return {Fact.WRONG: words[0], Fact.NAME: words[1]}
    return None


def c_comment(found: Found) -> Facts | None:
    """``// note``: a comment starts with ``#`` in Python."""
    stripped = found.clues.line_text.strip()
    if stripped.startswith(("//", "/*")):
        return {Fact.WRONG: stripped[:2]}
    return None


def and_without_subject(found: Found) -> Facts | None:
    """``if x > 3 and < 5:``: each side of ``and``/``or`` is a whole comparison."""
    words = _words(found)
    for at in range(1, len(words) - 1):
        if words[at] in ("and", "or") and words[at + 1] in _COMPARISONS:
            subject = next((w for w in reversed(words[:at]) if w in _COMPARISONS), None)
            if subject is None:
                continue
            left = words[words.index(subject) - 1]
            line = found.clues.line_text.strip()
            fixed = re.sub(rf"\b{words[at]}\s*{re.escape(words[at + 1])}", f"{words[at]} {left} {words[at + 1]}", line, count=1)
            return {Fact.OP: words[at], Fact.NAME: left, Fact.WRONG: f"{words[at]} {words[at + 1]}", Fact.FIXED: fixed}
    return None


def statement_as_value(found: Found) -> Facts | None:
    """``x = if 3``, ``print(return)``: a statement where a value goes."""
    words = _words(found)
    for at in range(1, len(words)):
        word, before = words[at], words[at - 1]
        if word in _STATEMENT_WORDS and before in ("=", "(", ",", "[") and not (word in ("if", "for") and before != "="):
            return {Fact.KEYWORD: word}
    return None


def lambda_with_statement(found: Found) -> Facts | None:
    """``lambda x: return x``: a lambda's body is one expression, without ``return``."""
    words = _words(found)
    if "lambda" not in words or ":" not in words[words.index("lambda") :]:
        return None
    body = words[words.index(":", words.index("lambda")) + 1 :]
    for at, word in enumerate(body):
        # if/for may stand inside an expression (x if c else y); the others never do.
        if word in _STATEMENT_WORDS and (at == 0 or word not in ("if", "for")):
            return {Fact.KEYWORD: word}
    return None


def incomplete_import(found: Found) -> Facts | None:
    """``import``, ``import math as``, ``from math import``: the statement stops before its names."""
    words = _words(found)
    if words[:1] in (("import",), ("from",)) and words[-1] in ("import", "as", "from", ",", "."):
        return {Fact.WORD: words[-1]}
    return None


def dangling_operator(found: Found) -> Facts | None:
    """``x = 1 +`` or ``print("a" + )``: an operator with no value on one side."""
    words = [w for w in _words(found) if w != ":"]
    for at, word in enumerate(words):
        if word not in _BINARY_OPS or word in ("in", "is", "-"):
            continue
        after = words[at + 1] if at + 1 < len(words) else ""
        if after in ("", ")", "]", "}", ",") or after in _BINARY_OPS - {"-", "+", "not"}:
            return {Fact.OP: word}
    if words and words[-1] in _ASSIGNMENT_OPS | {"^=", "|=", "&="}:
        return {Fact.OP: words[-1]}
    return None


def assignments_joined_by_comma(found: Found) -> Facts | None:
    """``a = 1, b = 2``: two assignments on one line, joined by a comma."""
    words = _words(found)
    if words.count("=") >= 2 and "," in words[words.index("=") : len(words) - words[::-1].index("=")]:
        return {Fact.WRONG: found.clues.line_text.strip()}
    return None


def dot_without_name(found: Found) -> Facts | None:
    """``print(x.)`` or ``'abc'.``: a dot with no attribute after it."""
    tokens = _code_tokens(found)
    for at, (_, text, _) in enumerate(tokens):
        after = tokens[at + 1] if at + 1 < len(tokens) else None
        if text == "." and (after is None or after[0] != tokenize.NAME):
            return {Fact.WRONG: "."}
    return None


def keyword_without_value(found: Found) -> Facts | None:
    """``print("a", end=)`` or ``def f(x=):``: a keyword argument or a default with nothing
    after its ``=`` (3.12 says so; 3.11 says only "invalid syntax")."""
    if found.message.startswith(("expected argument value", "expected default value")):
        return {}
    words = _words(found)
    if any(a == "=" and b in (")", ",") for a, b in itertools.pairwise(words)):
        return {}
    return None


def doubled_comma(found: Found) -> Facts | None:
    words = _words(found)
    if any(a == b == "," for a, b in itertools.pairwise(words)):
        return {Fact.WRONG: ", ,"}
    return None


def name_with_space(found: Found) -> Facts | None:
    """``my name = "Bob"``: a name of two words; names have no spaces."""
    words = _words(found)
    if "=" not in words:
        return None
    target = words[: words.index("=")]
    if len(target) >= 2 and all(re.fullmatch(r"[A-Za-z_]\w*", w) and not keyword.iskeyword(w) for w in target):
        return {Fact.WRONG: " ".join(target), Fact.FIXED: "_".join(target)}
    return None


def values_side_by_side(found: Found) -> Facts | None:
    """``total = price quantity`` or ``math.sqrt 4``: two values with no operator (or call) between."""
    tokens = [(k, t) for k, t, _ in _code_tokens(found) if k not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
    for (kind, text), (next_kind, next_text) in itertools.pairwise(tokens):
        value = (kind in _VALUE_KINDS and not keyword.iskeyword(text)) or text in _CLOSERS
        then = next_kind in _VALUE_KINDS and not keyword.iskeyword(next_text)
        if value and then:
            return {Fact.WRONG: f"{text} {next_text}"}
    return None


def colon_missing_after_header(found: Found) -> Facts | None:
    """``if x == 1 print(x)``: a block header without its colon, the body on the same line."""
    words = _words(found)
    if words[:1] and words[0] in ("if", "elif", "while", "for", "def", "class", "with") and ":" not in words:
        return {Fact.KEYWORD: words[0]}
    return None


# --- messages whose fix the line shows ---------------------------------------------------------


def times_or_divide_sign(found: Found) -> Facts | None:
    """``3 × 4``, ``8 ÷ 2``, ``5 – 3``: a maths sign copied from a document."""
    signs = {"×": "*", "÷": "/", "–": "-", "—": "-", "−": "-", "≤": "<=", "≥": ">=", "≠": "!="}
    char = found[Fact.CHAR]
    if char in signs:
        return {Fact.FIXED: signs[char]}
    return None


def backslash_path(found: Found) -> Facts | None:
    """``"C:\\Users\\..."``: a backslash in text starts an escape; a path wants ``r"..."`` or ``/``."""
    if match := re.search(r"""(?P<quote>["'])[^"']*\\[^"']*(?P=quote)""", found.clues.line_text):
        return {Fact.WRONG: match[0], Fact.FIXED: "r" + match[0]}
    return None


def import_of_member(found: Found) -> Facts | None:
    """``import math.sqrt``: ``import`` takes modules; a function of one is imported with ``from``."""
    module, _, member = found[Fact.MODULE].rpartition(".")
    if module and member:
        return {Fact.FIXED: f"from {module} import {member}", Fact.NAME: member}
    return None


# --- the program's names and tree (runtime errors) ----------------------------------------------


def number_called(found: Found) -> Facts | None:
    """``2(x + 1)``: algebra's product written as a call of the number 2."""
    if match := re.search(r"(?<![\w.])(?P<number>\d+(?:\.\d+)?)\s*\(", found.clues.line_text):
        return {Fact.WRONG: match[0].strip(), Fact.FIXED: f"{match['number']} * ("}
    return None


def builtin_hidden(found: Found) -> Facts | None:
    """``sum = 0`` then ``sum(xs)``: a variable took the name of a built-in function."""
    program = _program(found)
    for called in re.finditer(r"(?<![\w.])(?P<name>[A-Za-z_]\w*)\s*\(", found.clues.line_text):
        name = called["name"]
        if callable(getattr(builtins, name, None)) and any(isinstance(node, ast.Name) for node, _ in program.bindings_of(name)):
            return {Fact.NAME: name}
    return None


def init_not_defined(found: Found) -> Facts | None:
    """``Point(1, 2)`` where ``class Point`` defines no ``__init__`` (nor a near miss of it)."""
    program = _program(found)
    if program.tree is None:
        return None
    for node in ast.walk(program.tree):
        if isinstance(node, ast.ClassDef) and node.name == found[Fact.CLS]:
            methods = [n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
            return None if difflib.get_close_matches("__init__", methods, n=1, cutoff=0.6) else {}
    return None


def method_without_self_prefix(found: Found) -> Facts | None:
    """``add_toy(self, 'x')`` inside a method, where ``add_toy`` is a method of the same class."""
    program, name = _program(found), found[Fact.NAME]
    if name not in program.enclosing_class_members or program.tree is None:
        return None
    methods = {
        node.name
        for node in ast.walk(program.tree)
        if isinstance(node, ast.ClassDef)
        for node in node.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    return {Fact.FIXED: f"self.{name}"} if name in methods else None


def attribute_without_self_prefix(found: Found) -> Facts | None:
    """``return name`` in a method, where ``self.name`` is what the class stores."""
    name = found[Fact.NAME]
    if name in _program(found).enclosing_class_members or f"'self.{name}'" in found.message:
        return {Fact.ATTR: name}
    return None


def _binding_lines(program: Program, name: str) -> list[tuple[int, ast.AST, ast.AST | None]]:
    return [(getattr(node, "lineno", 0), node, scope) for node, scope in program.bindings_of(name)]


def used_before_defined(found: Found) -> Facts | None:
    """``greet()`` on line 1, ``def greet():`` on line 5: Python runs top to bottom."""
    program, name = _program(found), found[Fact.NAME]
    line = program.line or 0
    module_level = [(at, node) for at, node, scope in _binding_lines(program, name) if scope is None]
    if module_level and program.enclosing_function is None and all(at > line for at, _ in module_level):
        return {Fact.DEFINED_AT: str(min(at for at, _ in module_level))}
    return None


def local_of_another_function(found: Found) -> Facts | None:
    """A name given a value only inside a function, read outside it."""
    program, name = _program(found), found[Fact.NAME]
    bindings = _binding_lines(program, name)
    holders = {scope for _, _, scope in bindings}
    functions = [s for s in holders if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if bindings and len(functions) == len(holders) and program.enclosing_function not in holders:
        return {Fact.FUNC: functions[0].name}
    return None


def comprehension_variable_outside(found: Found) -> Facts | None:
    """``[x * 2 for x in xs]`` then ``print(x)``: a comprehension's variable lives only inside it."""
    program, name = _program(found), found[Fact.NAME]
    if program.tree is None:
        return None
    targets = {
        id(n)
        for node in ast.walk(program.tree)
        if isinstance(node, ast.comprehension)
        for n in ast.walk(node.target)
        if isinstance(n, ast.Name) and n.id == name
    }
    bound = [node for node, _ in program.bindings_of(name)]
    if targets and all(id(node) in targets for node in bound):
        return {Fact.WORD: name}
    return None


def never_defined(found: Found) -> Facts | None:
    """A name the program binds nowhere (and not close to one it does): not a scope or order
    problem, just a value never given. Needs the program: without it, nothing is known."""
    program = _program(found)
    if program.tree is None or found[Fact.NAME] in program.defined:
        return None
    return {}


def program_near_miss(found: Found) -> Facts | None:
    """A name close to one the program defines, when Python offered none (3.11 often does not)."""
    if Fact.SUGGESTION in found.facts:
        return {}
    close = _program(found).near_miss(found[Fact.NAME])
    return {Fact.SUGGESTION: close} if close else None


# Modules whose names triage may look up itself: pure, quiet to import, and common in lessons.
_LOOKED_UP_MODULES = frozenset({"math", "random", "string", "statistics", "time", "datetime", "itertools", "collections"})


def module_member_near_miss(found: Found) -> Facts | None:
    """``math.sqr``: the close name of the module, when Python offered none (3.11 in the sandbox)."""
    if Fact.SUGGESTION in found.facts:
        return {}
    module = found[Fact.MODULE]
    if module not in _LOOKED_UP_MODULES:
        return None
    names = frozenset(n for n in dir(importlib.import_module(module)) if not n.startswith("_"))
    close = _program(found).near_miss(found[Fact.ATTR], names)
    return {Fact.SUGGESTION: close} if close else None


def class_attribute_near_miss(found: Found) -> Facts | None:
    """``self.nme`` on a class whose methods set ``self.name``: the close attribute of the learner's class."""
    if Fact.SUGGESTION in found.facts:
        return {}
    program = _program(found)
    if program.tree is None:
        return None
    for node in ast.walk(program.tree):
        if isinstance(node, ast.ClassDef) and node.name == found[Fact.TYPE]:
            close = program.near_miss(found[Fact.ATTR], class_members(node))
            return {Fact.SUGGESTION: close} if close else None
    return None


def _inside(node: ast.AST, line: int) -> bool:
    return getattr(node, "lineno", 0) <= line <= (getattr(node, "end_lineno", 0) or 0)


def assigned_in_one_branch(found: Found) -> Facts | None:
    """A local given its value only inside an ``if`` (or a loop) that did not run, read after it."""
    program, name = _program(found), found[Fact.NAME]
    function = program.enclosing_function
    if function is None or program.line is None:
        return None
    branches = [n for n in ast.walk(function) if isinstance(n, (ast.If, ast.For, ast.While))]
    stored = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)]
    if not stored or any(isinstance(a, ast.arg) and a.arg == name for a in ast.walk(function.args)):
        return None
    for store in stored:
        holder = [b for b in branches if _inside(b, store.lineno) and b.lineno != store.lineno]
        if not holder or any(_inside(b, program.line) for b in holder):
            return None
    return {Fact.KEYWORD: "if"}


def global_not_declared(found: Found) -> Facts | None:
    """``count += 1`` in a function, ``count`` a variable of the program: assigning makes it local."""
    program, name = _program(found), found[Fact.NAME]
    if program.enclosing_function is None:
        return None
    if any(scope is None for _, scope in program.bindings_of(name)):
        return {Fact.FUNC: program.enclosing_function.name}
    return None


def dict_loop_without_items(found: Found) -> Facts | None:
    """``for k, v in ages:`` over a dictionary: the loop gives its keys only; pairs come from ``.items()``."""
    program = _program(found)
    words = program.words
    if words[:1] != ("for",) or "in" not in words or "," not in words[: words.index("in")]:
        return None
    iterated = words[words.index("in") + 1 : -1] if words[-1:] == (":",) else words[words.index("in") + 1 :]
    if "items" in iterated:
        return None
    if iterated[:1] == ("{",):
        return {Fact.SEQ: "{...}"}
    if len(iterated) == 1:
        for node, _ in program.bindings_of(iterated[0]):
            parent = _assigned_value(program, node)
            if isinstance(parent, (ast.Dict, ast.DictComp)) or (
                isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "dict"
            ):
                return {Fact.SEQ: iterated[0]}
    return None


def _assigned_value(program: Program, target: ast.AST) -> ast.AST | None:
    if program.tree is None:
        return None
    for node in ast.walk(program.tree):
        if isinstance(node, ast.Assign) and target in node.targets:
            return node.value
    return None


def in_place_result_stored(found: Found) -> Facts | None:
    """``nums = nums.sort()``: an in-place method returns None, and None was stored."""
    program = _program(found)
    if program.tree is None:
        return None
    used = {found.facts.get(Fact.SEQ), found.facts.get(Fact.RECEIVER)} - {None}
    for node in ast.walk(program.tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in _IN_PLACE_METHODS
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and (not used or node.targets[0].id in used)
        ):
            return {Fact.NAME: node.targets[0].id, Fact.METHOD: node.value.func.attr}
    return None


def assertion_on_call(found: Found) -> Facts | None:
    """``assert add(2, 2) == 4``: the check of a function's result failed."""
    words = _words(found)
    if words[:1] == ("assert",) and "(" in words:
        callee = words[words.index("(") - 1]
        if callee in _program(found).defined:
            return {Fact.FUNC: callee}
    return None
