"""What the learner's program shows around its error: tokens, tree, names (pure).

Python's message often says only "invalid syntax", and a NameError cannot tell a
method called without ``self.`` from a typo. The program can: the tokens of the
failing line, the tree where the program parses, the names it defines and where.
``read_program`` reads it once; the diagnosis table's code checks (``code_checks``)
ask it questions. Nothing here leaves triage: the program never travels on
``struggle.detected``, only the facts a check finds in it.
"""

from __future__ import annotations

import ast
import difflib
import io
import tokenize
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Token:
    kind: int  # tokenize's token type (NAME, OP, NUMBER, STRING...)
    text: str
    column: int


@dataclass(frozen=True)
class Program:
    """The program of a failed run, read around its failing line."""

    code: str = ""
    line: int | None = None
    tokens: tuple[Token, ...] = ()  # the failing line's tokens, as far as they can be read
    tree: ast.Module | None = None  # None: the program does not parse
    defined: frozenset[str] = frozenset()  # every name the program binds, anywhere
    enclosing_class_members: frozenset[str] = frozenset()  # methods and self.attributes of the line's class
    enclosing_function: ast.FunctionDef | None = field(default=None, compare=False)

    @property
    def words(self) -> tuple[str, ...]:
        """The failing line's tokens that are not layout (indents, newlines, comments)."""
        return tuple(t.text for t in self.tokens if t.kind not in _LAYOUT)

    def near_miss(self, name: str, among: frozenset[str] | None = None) -> str | None:
        """The name of the program (or of ``among``) closest to ``name``, if one is close."""
        candidates = sorted((among if among is not None else self.defined) - {name})
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
        return close[0] if close else None

    def bindings_of(self, name: str) -> list[tuple[ast.AST, ast.AST | None]]:
        """Where ``name`` is bound: each binding node with the function or class that holds it."""
        if self.tree is None:
            return []
        found: list[tuple[ast.AST, ast.AST | None]] = []
        _collect_bindings(self.tree, name, None, found)
        return found


_LAYOUT = frozenset({tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def line_tokens(text: str) -> tuple[Token, ...]:
    """The tokens of one line, up to the first one tokenize cannot read (an unclosed
    string, a stray character): a line that does not parse is still mostly readable."""
    found: list[Token] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text.strip() + "\n").readline):
            if tok.type == tokenize.ERRORTOKEN and not tok.string.strip():
                continue  # 3.11 reports stray spaces as error tokens
            found.append(Token(tok.type, tok.string, tok.start[1]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return tuple(found)


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def _bound_names(tree: ast.AST) -> frozenset[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).partition(".")[0])
    return frozenset(names)


def _collect_bindings(node: ast.AST, name: str, scope: ast.AST | None, found: list[tuple[ast.AST, ast.AST | None]]) -> None:
    for child in ast.iter_child_nodes(node):
        inner = child if isinstance(child, _SCOPES) else scope
        if isinstance(child, ast.Name) and child.id == name and isinstance(child.ctx, ast.Store):
            found.append((child, scope))
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child.name == name:
            found.append((child, scope))
        elif isinstance(child, ast.arg) and child.arg == name:
            found.append((child, scope))
        _collect_bindings(child, name, inner, found)


def enclosing(tree: ast.Module, line: int) -> list[ast.AST]:
    """The classes and functions whose bodies hold ``line``, outermost first."""
    chain: list[ast.AST] = []
    node: ast.AST = tree
    while True:
        inner = [
            c
            for c in ast.iter_child_nodes(node)
            if isinstance(c, (*_SCOPES, ast.stmt)) and c.lineno <= line <= (c.end_lineno or c.lineno)
        ]
        if not inner:
            return chain
        node = inner[0]
        if isinstance(node, _SCOPES):
            chain.append(node)


def class_members(cls: ast.ClassDef) -> frozenset[str]:
    """The methods of a class and the attributes its methods set on ``self``."""
    members = {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            members.add(node.attr)
    return frozenset(members)


def read_program(code: str, line: int | None, line_text: str) -> Program:
    """The program, read around ``line`` (1-based; None: no line is known), whose text
    code execution quoted as ``line_text`` (an event without the program still has it)."""
    text = line_text
    tree = _parse(code) if code.strip() else None  # no program (an older producer): nothing is known
    if tree is None or line is None:
        return Program(code, line, line_tokens(text), tree, _bound_names(tree) if tree else frozenset())
    chain = enclosing(tree, line)
    classes = [c for c in chain if isinstance(c, ast.ClassDef)]
    functions = [f for f in chain if isinstance(f, ast.FunctionDef)]
    return Program(
        code,
        line,
        line_tokens(text),
        tree,
        _bound_names(tree),
        class_members(classes[-1]) if classes else frozenset(),
        functions[-1] if functions else None,
    )
