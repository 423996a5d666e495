"""Which Python constructs a program uses: by ``ast`` when it parses, by tokens when not.

Triage and concepts read these names to tell *what* a learner struggles with, so the
vocabulary is fixed (``learnflow.events.Construct``, owned by the events library as a
contract of ``code.executed``) and each name means one thing:

for_loop, while_loop          ``for`` / ``while`` statements (async ones too)
list/dict/set_comprehension   ``[x for ...]``, ``{k: v for ...}``, ``{x for ...}``
generator_expression          ``(x for ...)``
function_def, lambda          ``def`` (async too), ``lambda``
recursion                     a function that calls itself by name (or ``self.name``)
class_def                     ``class``
try_except                    ``try`` with ``except``/``finally`` (``except*`` too)
with_statement                ``with`` (async too)
f_string                      ``f"..."``
slicing, indexing             ``a[1:2]`` and ``a[i]`` (not type annotations such as ``list[int]``)
conditional                   ``if``/``elif``, ``x if c else y``, ``match``
import                        ``import`` and ``from ... import``
return, yield, global         those statements (``yield from`` is yield)
string/list/dict_method_call  ``s.upper()``, ``xs.append()``, ``d.items()``: by the method's
                              name, and by the receiver's apparent type when the name is
                              shared (``pop``, ``count``, ``index``, ``copy``, ``clear``)
print_call, input_call        ``print(...)``, ``input(...)``
assignment                    ``=``, annotated assignment with a value, ``:=``
augmented_assignment          ``+=`` and friends
boolean_operation             ``and``, ``or``, ``not``
comparison                    ``==``, ``<``, ``in``, ``is``... (chained: once)

Results are in vocabulary order, without duplicates. "On a line" means: a compound
statement whose header is on that line, or an expression or simple statement that
spans it.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from learnflow.events import Construct

CONSTRUCTS: tuple[Construct, ...] = tuple(Construct)
_ORDER = {name: i for i, name in enumerate(CONSTRUCTS)}

_SHARED = {"pop", "copy", "clear", "count", "index"}
_STR_ONLY = {
    "capitalize",
    "casefold",
    "center",
    "encode",
    "endswith",
    "expandtabs",
    "find",
    "format",
    "format_map",
    "isalnum",
    "isalpha",
    "isascii",
    "isdecimal",
    "isdigit",
    "isidentifier",
    "islower",
    "isnumeric",
    "isprintable",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "maketrans",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "translate",
    "upper",
    "zfill",
}
_LIST_ONLY = {"append", "extend", "insert", "remove", "sort", "reverse"}
_DICT_ONLY = {"keys", "values", "items", "get", "setdefault", "popitem", "fromkeys"}
_METHOD_OF_TYPE = {"str": Construct.STRING_METHOD_CALL, "list": Construct.LIST_METHOD_CALL, "dict": Construct.DICT_METHOD_CALL}

_COMPOUND = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Match,
    ast.ExceptHandler,
)
_TRY_STAR = (ast.TryStar,) if hasattr(ast, "TryStar") else ()


def ordered(names: Iterable[Construct]) -> tuple[Construct, ...]:
    """Deduplicated, in vocabulary order."""
    return tuple(sorted(set(names), key=_ORDER.__getitem__))


@dataclass(frozen=True)
class SyntaxProblem:
    """Why a program does not parse, as Python says it."""

    type: str
    message: str
    line: int | None


@dataclass(frozen=True)
class Analysis:
    constructs: tuple[Construct, ...]
    syntax_error: SyntaxProblem | None = None
    by_line: dict[int, tuple[Construct, ...]] = field(default_factory=dict)
    lines: tuple[str, ...] = ()

    def on_line(self, line: int | None) -> tuple[Construct, ...]:
        return self.by_line.get(line, ()) if line is not None else ()

    def text_of(self, line: int | None, limit: int) -> str | None:
        """Line ``line`` as written, without its newline, cut to ``limit`` characters ("…" last)."""
        if line is None or not 1 <= line <= len(self.lines):
            return None
        text = self.lines[line - 1]
        return text if len(text) <= limit else text[: limit - 1] + "…"


def analyse(code: str) -> Analysis:
    """The constructs of ``code``; when it does not parse, derived from its tokens."""
    # The lines Python numbers (splitlines would also split at \f and \x1c).
    source_lines = tuple(code.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:  # IndentationError and TabError too
        problem = SyntaxProblem(type(exc).__name__, exc.msg or str(exc), exc.lineno if exc.lineno and exc.lineno > 0 else None)
        by_line = lexical_by_line(code)
        if problem.line is not None and problem.line not in by_line:
            # The whole-source scan stopped before that line: scan it alone.
            if problem.line <= len(source_lines):
                by_line[problem.line] = lexical_constructs(source_lines[problem.line - 1])
        return Analysis(ordered(c for cs in by_line.values() for c in cs), problem, by_line, source_lines)
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        return Analysis((), SyntaxProblem(type(exc).__name__, str(exc), None), {}, source_lines)
    finder = _Finder()
    finder.visit(tree)
    finder.find_recursion(tree)
    by_line = {line: ordered(names) for line, names in finder.by_line.items()}
    return Analysis(ordered(finder.found), None, by_line, source_lines)


# --- ast ---------------------------------------------------------------------------


def _lines(node: ast.AST) -> range:
    start = getattr(node, "lineno", None)
    if start is None:
        return range(0)
    if isinstance(node, _COMPOUND):
        return range(start, start + 1)
    end = getattr(node, "end_lineno", None) or start
    return range(start, end + 1)


def _literal_type(node: ast.AST | None, names: dict[str, str]) -> str | None:
    if (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr):
        return "str"
    if isinstance(node, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return {"str": "str", "input": "str", "list": "list", "sorted": "list", "dict": "dict"}.get(node.func.id)
    if isinstance(node, ast.Name):
        return names.get(node.id) or (node.id if node.id in ("str", "list", "dict") else None)
    return None


def _method_kind(name: str, receiver_type: str | None) -> Construct | None:
    if receiver_type in _METHOD_OF_TYPE and (
        name in _SHARED or name in {"str": _STR_ONLY, "list": _LIST_ONLY, "dict": _DICT_ONLY | {"update"}}[receiver_type]
    ):
        return _METHOD_OF_TYPE[receiver_type]
    if name in _STR_ONLY:
        return Construct.STRING_METHOD_CALL
    if name in _LIST_ONLY:
        return Construct.LIST_METHOD_CALL
    if name in _DICT_ONLY:
        return Construct.DICT_METHOD_CALL
    return None


class _Finder(ast.NodeVisitor):
    _SIMPLE: ClassVar[dict[type[ast.AST], Construct]] = {
        ast.For: Construct.FOR_LOOP,
        ast.AsyncFor: Construct.FOR_LOOP,
        ast.While: Construct.WHILE_LOOP,
        ast.ListComp: Construct.LIST_COMPREHENSION,
        ast.DictComp: Construct.DICT_COMPREHENSION,
        ast.SetComp: Construct.SET_COMPREHENSION,
        ast.GeneratorExp: Construct.GENERATOR_EXPRESSION,
        ast.FunctionDef: Construct.FUNCTION_DEF,
        ast.AsyncFunctionDef: Construct.FUNCTION_DEF,
        ast.Lambda: Construct.LAMBDA,
        ast.ClassDef: Construct.CLASS_DEF,
        ast.Try: Construct.TRY_EXCEPT,
        ast.ExceptHandler: Construct.TRY_EXCEPT,
        ast.With: Construct.WITH_STATEMENT,
        ast.AsyncWith: Construct.WITH_STATEMENT,
        ast.JoinedStr: Construct.F_STRING,
        ast.If: Construct.CONDITIONAL,
        ast.IfExp: Construct.CONDITIONAL,
        ast.Match: Construct.CONDITIONAL,
        ast.Import: Construct.IMPORT,
        ast.ImportFrom: Construct.IMPORT,
        ast.Return: Construct.RETURN,
        ast.Yield: Construct.YIELD,
        ast.YieldFrom: Construct.YIELD,
        ast.Global: Construct.GLOBAL,
        ast.Assign: Construct.ASSIGNMENT,
        ast.NamedExpr: Construct.ASSIGNMENT,
        ast.AugAssign: Construct.AUGMENTED_ASSIGNMENT,
        ast.BoolOp: Construct.BOOLEAN_OPERATION,
        ast.Compare: Construct.COMPARISON,
    }

    def __init__(self) -> None:
        self.found: set[Construct] = set()
        self.by_line: dict[int, set[Construct]] = defaultdict(set)
        self.names: dict[str, str] = {}

    def add(self, name: Construct, node: ast.AST) -> None:
        self.found.add(name)
        for line in _lines(node):
            self.by_line[line].add(name)

    def visit_Module(self, node: ast.Module) -> None:
        # A first pass learns what simple names hold (xs = [] -> list), for shared methods.
        for sub in ast.walk(node):
            if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name):
                kind = _literal_type(sub.value, {})
                if kind:
                    self.names[sub.targets[0].id] = kind
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        name = self._SIMPLE.get(type(node))
        if name is None and _TRY_STAR and isinstance(node, _TRY_STAR):
            name = Construct.TRY_EXCEPT
        if name:
            self.add(name, node)
        super().generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:  # `x: int` alone declares, it assigns nothing
            self.add(Construct.ASSIGNMENT, node)
            self.visit(node.value)
        self.visit(node.target)  # the annotation is a type, not indexing

    def visit_arg(self, node: ast.arg) -> None:
        return  # annotations only

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.add(Construct.FUNCTION_DEF, node)
        for sub in (*node.decorator_list, node.args, *node.body):
            self.visit(sub)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_arguments(self, node: ast.arguments) -> None:
        for default in (*node.defaults, *(d for d in node.kw_defaults if d is not None)):
            self.visit(default)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.add(Construct.BOOLEAN_OPERATION, node)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        sliced = isinstance(node.slice, ast.Slice) or (
            isinstance(node.slice, ast.Tuple) and any(isinstance(e, ast.Slice) for e in node.slice.elts)
        )
        self.add(Construct.SLICING if sliced else Construct.INDEXING, node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("print", "input"):
            self.add(Construct.PRINT_CALL if func.id == "print" else Construct.INPUT_CALL, node)
        elif isinstance(func, ast.Attribute):
            kind = _method_kind(func.attr, _literal_type(func.value, self.names))
            if kind:
                self.add(kind, node)
        self.generic_visit(node)

    def find_recursion(self, tree: ast.AST) -> None:
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for sub in ast.walk(fn):
                if not isinstance(sub, ast.Call):
                    continue
                f = sub.func
                if (isinstance(f, ast.Name) and f.id == fn.name) or (
                    isinstance(f, ast.Attribute)
                    and f.attr == fn.name
                    and isinstance(f.value, ast.Name)
                    and f.value.id in ("self", "cls")
                ):
                    self.add(Construct.RECURSION, sub)


# --- tokens, for code that does not parse --------------------------------------------

_AUGMENTED = {"+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "|=", "^=", "@="}
_COMPARE_OPS = {"==", "!=", "<", ">", "<=", ">=", "<>"}
_STATEMENT_KEYWORDS = {
    "while": Construct.WHILE_LOOP,
    "def": Construct.FUNCTION_DEF,
    "class": Construct.CLASS_DEF,
    "try": Construct.TRY_EXCEPT,
    "except": Construct.TRY_EXCEPT,
    "finally": Construct.TRY_EXCEPT,
    "with": Construct.WITH_STATEMENT,
    "if": Construct.CONDITIONAL,
    "elif": Construct.CONDITIONAL,
    "import": Construct.IMPORT,
    "from": Construct.IMPORT,
    "return": Construct.RETURN,
    "global": Construct.GLOBAL,
    "match": Construct.CONDITIONAL,
}


# Python 3.12+ (PEP 701) tokenizes an f-string as FSTRING_START ... FSTRING_END, with the
# replacement fields as ordinary tokens, where 3.11 gave one STRING token; and it refuses an
# unterminated f-string with a TokenError where 3.11 went on past an ERRORTOKEN quote. The
# scanner folds the 3.12 shape back into one STRING token and reads the error, so triage sees
# the same constructs on every supported Python.
_FSTRING_START: int | None = getattr(tokenize, "FSTRING_START", None)
_FSTRING_END: int | None = getattr(tokenize, "FSTRING_END", None)
_SKIPPED = (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT)


@dataclass
class _Tokens:
    tokens: list[tokenize.TokenInfo]
    unterminated_fstring_line: int | None = None  # where a 3.12+ tokenizer gave up on an f-string


def _tokenize(source: str) -> _Tokens:
    """The tokens of ``source`` up to the first point where tokenizing fails, f-strings as one STRING."""
    out = _Tokens([])
    opened: list[tokenize.TokenInfo] = []  # FSTRING_STARTs not yet closed (they nest)
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == _FSTRING_START:
                opened.append(tok)
            elif tok.type == _FSTRING_END and opened:
                start = opened.pop()
                if not opened:
                    text = start.string + tok.string  # the prefix and quotes: enough to read as an f-string
                    out.tokens.append(tokenize.TokenInfo(tokenize.STRING, text, start.start, tok.end, start.line))
            elif not opened and tok.type not in _SKIPPED:
                out.tokens.append(tok)
    except (tokenize.TokenError, SyntaxError) as exc:
        message, where = (*exc.args, "", None)[:2]
        if "f-string" in str(message) and isinstance(where, tuple) and where:
            out.unterminated_fstring_line = int(where[0])
        elif opened:
            out.unterminated_fstring_line = opened[0].start[0]
    if opened and out.unterminated_fstring_line is None:
        out.unterminated_fstring_line = opened[0].start[0]
    return out


def _is_fstring(tok: tokenize.TokenInfo, prev: tokenize.TokenInfo | None) -> bool:
    if tok.type == tokenize.STRING:
        prefix = tok.string[: len(tok.string) - len(tok.string.lstrip("rRbBuUfF"))]
        return "f" in prefix.lower()
    # 3.11: an unterminated string arrives as an ERRORTOKEN quote right after its prefix name.
    return (
        tok.type == tokenize.ERRORTOKEN
        and tok.string in ("'", '"')
        and prev is not None
        and prev.type == tokenize.NAME
        and prev.end == tok.start
        and "f" in prev.string.lower()
        and set(prev.string.lower()) <= set("rbf")
    )


@dataclass
class _Bracket:
    opener: str
    subscript: bool
    line: int
    colon: bool = False


class _Scanner:
    """One pass over the tokens, tracking brackets and pending ``for ... in``."""

    def __init__(self, toks: list[tokenize.TokenInfo]) -> None:
        self.toks = toks
        self.found: dict[int, set[Construct]] = defaultdict(set)
        self.stack: list[_Bracket] = []
        self.pending_for: list[int] = []  # bracket depths of a `for` still waiting for its `in`

    def scan(self) -> dict[int, set[Construct]]:
        at_start = True  # the next token begins a statement
        prev: tokenize.TokenInfo | None = None
        for i, tok in enumerate(self.toks):
            if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                at_start, prev = True, tok
                self.pending_for.clear()
                continue
            nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
            out = self.found[tok.start[0]]
            if _is_fstring(tok, prev):
                out.add(Construct.F_STRING)
            if tok.type == tokenize.NAME and (keyword.iskeyword(tok.string) or tok.string == "match"):
                self._keyword(i, tok, prev, nxt, at_start, out)
            elif tok.type == tokenize.NAME:
                self._name(i, tok, prev, nxt, out)
            elif tok.type == tokenize.OP:
                self._operator(tok, prev)
            at_start, prev = False, tok
        for bracket in self.stack:  # never closed: judge by what was seen
            if bracket.subscript:
                self.found[bracket.line].add(Construct.SLICING if bracket.colon else Construct.INDEXING)
        return self.found

    def _name(
        self,
        i: int,
        tok: tokenize.TokenInfo,
        prev: tokenize.TokenInfo | None,
        nxt: tokenize.TokenInfo | None,
        out: set[Construct],
    ) -> None:
        calls = nxt is not None and nxt.string == "("
        if tok.string in ("print", "input") and calls and (prev is None or prev.string != "."):
            out.add(Construct.PRINT_CALL if tok.string == "print" else Construct.INPUT_CALL)
        if prev is not None and prev.string == "." and calls:
            receiver = self.toks[i - 2] if i >= 2 else None
            is_str = receiver is not None and receiver.type == tokenize.STRING
            kind = _method_kind(tok.string, "str" if is_str else None)
            if kind:
                out.add(kind)

    def _keyword(
        self,
        i: int,
        tok: tokenize.TokenInfo,
        prev: tokenize.TokenInfo | None,
        nxt: tokenize.TokenInfo | None,
        at_start: bool,
        out: set[Construct],
    ) -> None:
        text = tok.string
        if text == "for":
            self.pending_for.append(len(self.stack))
            if not self.stack:
                out.add(Construct.FOR_LOOP)
            else:
                top = self.stack[-1]
                out.add(
                    {"[": Construct.LIST_COMPREHENSION, "(": Construct.GENERATOR_EXPRESSION}.get(
                        top.opener, Construct.DICT_COMPREHENSION if top.colon else Construct.SET_COMPREHENSION
                    )
                )
        elif text == "in":
            if self.pending_for and self.pending_for[-1] == len(self.stack):
                self.pending_for.pop()  # the loop's own `in`, not a membership test
            else:
                out.add(Construct.COMPARISON)
        elif text == "lambda":
            out.add(Construct.LAMBDA)
        elif text in ("and", "or"):
            out.add(Construct.BOOLEAN_OPERATION)
        elif text == "not":
            negates_membership = (prev is not None and prev.string == "is") or (nxt is not None and nxt.string == "in")
            out.add(Construct.COMPARISON if negates_membership else Construct.BOOLEAN_OPERATION)
        elif text == "is":
            out.add(Construct.COMPARISON)
        elif text == "if" and not at_start:
            # `a if c else b` is a conditional; a comprehension's `if` is a filter.
            line = tok.start[0]
            if any(t.string == "else" for t in self.toks[i + 1 :] if t.start[0] == line):
                out.add(Construct.CONDITIONAL)
        elif text == "yield":
            out.add(Construct.YIELD)
        elif at_start:
            name = _STATEMENT_KEYWORDS.get(text)
            soft_match_used_as_name = text == "match" and (nxt is None or nxt.string in ("=", "(", ".", "[", ":"))
            if name and not soft_match_used_as_name:
                out.add(name)

    def _operator(self, tok: tokenize.TokenInfo, prev: tokenize.TokenInfo | None) -> None:
        text, line = tok.string, tok.start[0]
        if text in ("(", "[", "{"):
            subscript = (
                text == "["
                and prev is not None
                and (
                    (prev.type in (tokenize.NAME, tokenize.STRING) and not keyword.iskeyword(prev.string))
                    or prev.string in (")", "]")
                )
            )
            self.stack.append(_Bracket(text, subscript, line))
        elif text in (")", "]", "}"):
            if self.stack:
                bracket = self.stack.pop()
                if bracket.subscript:
                    self.found[bracket.line].add(Construct.SLICING if bracket.colon else Construct.INDEXING)
        elif text == ":":
            if self.stack:
                self.stack[-1].colon = True
        elif text == ":=" or (text == "=" and not self.stack):  # `=` in brackets is a keyword argument
            self.found[line].add(Construct.ASSIGNMENT)
        elif text in _AUGMENTED:
            self.found[line].add(Construct.AUGMENTED_ASSIGNMENT)
        elif text in _COMPARE_OPS:
            self.found[line].add(Construct.COMPARISON)


def lexical_by_line(source: str) -> dict[int, tuple[Construct, ...]]:
    """Constructs per line, recognised from tokens alone (the code need not parse)."""
    tokens = _tokenize(source)
    found = _Scanner(tokens.tokens).scan()
    if tokens.unterminated_fstring_line is not None:
        found[tokens.unterminated_fstring_line].add(Construct.F_STRING)
    return {line: ordered(names) for line, names in found.items() if names}


def lexical_constructs(line: str) -> tuple[Construct, ...]:
    """Constructs on one line of code that need not parse (e.g. ``[x for x in y``)."""
    return ordered(c for cs in lexical_by_line(line).values() for c in cs)
