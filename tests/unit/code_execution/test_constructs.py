from __future__ import annotations

import pytest

from functions.code_execution.constructs import CONSTRUCTS, analyse, lexical_constructs

PROGRAMS = {
    "for_loop": "for i in range(3):\n    pass",
    "while_loop": "while False:\n    pass",
    "list_comprehension": "[x for x in y]",
    "dict_comprehension": "{k: v for k, v in y}",
    "set_comprehension": "{x for x in y}",
    "generator_expression": "sum(x for x in y)",
    "function_def": "def f():\n    pass",
    "lambda": "f = lambda: 1",
    "recursion": "def f(n):\n    return f(n - 1)",
    "class_def": "class A:\n    pass",
    "try_except": "try:\n    pass\nexcept ValueError:\n    pass",
    "with_statement": "with open('f') as f:\n    pass",
    "f_string": "f'{x}'",
    "slicing": "xs[1:2]",
    "indexing": "xs[0]",
    "conditional": "if x:\n    pass",
    "import": "import math",
    "return": "def f():\n    return 1",
    "yield": "def f():\n    yield 1",
    "global": "def f():\n    global g",
    "string_method_call": "'a b'.split()",
    "list_method_call": "xs.append(1)",
    "dict_method_call": "d.items()",
    "print_call": "print(1)",
    "input_call": "input()",
    "assignment": "x = 1",
    "augmented_assignment": "x += 1",
    "boolean_operation": "a and b",
    "comparison": "a < b",
}


def test_every_construct_has_an_example() -> None:
    assert set(PROGRAMS) == set(CONSTRUCTS)
    assert len(CONSTRUCTS) == len(set(CONSTRUCTS)) == 29


@pytest.mark.parametrize("name", CONSTRUCTS)
def test_ast_finds_each_construct(name: str) -> None:
    assert name in analyse(PROGRAMS[name]).constructs


@pytest.mark.parametrize(
    ("code", "absent"),
    [
        ("x: list[int] = []", "indexing"),  # an annotation is not indexing
        ("def f(a: dict[str, int]) -> list[int]:\n    pass", "indexing"),
        ("x: int", "assignment"),
        ("for x in y:\n    pass", "comparison"),  # the loop's `in`
        ("[x for x in y if x]", "conditional"),  # a filter, not a conditional
        ("def f(n):\n    return g(n)", "recursion"),
    ],
)
def test_ast_does_not_overreport(code: str, absent: str) -> None:
    assert absent not in analyse(code).constructs


def test_shared_method_names_use_the_receiver_type() -> None:
    assert analyse("xs = [1]\nxs.pop()").constructs == ("list_method_call", "assignment")
    assert analyse("d = {}\nd.pop('k')").constructs == ("dict_method_call", "assignment")
    assert analyse("thing.pop()").constructs == ()


def test_results_are_ordered_and_unique() -> None:
    result = analyse("x = 1\nx = 2\nprint(x)\nprint(x)").constructs
    assert result == ("print_call", "assignment")


def test_constructs_per_line() -> None:
    a = analyse("def f(n):\n    if n < 1:\n        return 1\n    return n * f(n - 1)\n\nprint(f(3))\n")
    assert a.syntax_error is None
    assert a.on_line(1) == ("function_def",)
    assert a.on_line(2) == ("conditional", "comparison")
    assert a.on_line(4) == ("recursion", "return")
    assert a.on_line(6) == ("print_call",)
    assert a.on_line(None) == ()


def test_syntax_error_constructs_come_from_the_failing_line() -> None:
    a = analyse("x = 1\nsquares = [x*x for x in range(10)\nprint(squares)\n")
    assert a.syntax_error is not None
    assert (a.syntax_error.type, a.syntax_error.line) == ("SyntaxError", 2)
    assert "list_comprehension" in a.on_line(2)
    assert set(a.constructs) >= {"assignment", "list_comprehension", "print_call"}


def test_indentation_error_is_a_syntax_problem() -> None:
    a = analyse("def f():\nreturn 1\n")
    assert a.syntax_error is not None and a.syntax_error.type == "IndentationError"
    assert a.syntax_error.line == 2


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("squares = [x*x for x in range(10)", {"list_comprehension", "assignment"}),
        ("d = {k: v for k, v in pairs", {"dict_comprehension", "assignment"}),
        ("s = {x for x in xs", {"set_comprehension", "assignment"}),
        ("total = sum(x for x in xs", {"generator_expression", "assignment"}),
        ("for i in range(3) print(i)", {"for_loop", "print_call"}),
        ("while x < 3", {"while_loop", "comparison"}),
        ("if x in y and not z", {"conditional", "comparison", "boolean_operation"}),
        ("print(f'hi {name}", {"print_call", "f_string"}),
        ("def f(x", {"function_def"}),
        ("class A(", {"class_def"}),
        ("y = xs[1:", {"slicing", "assignment"}),
        ("y = xs[0", {"indexing", "assignment"}),
        ("x += 1 +", {"augmented_assignment"}),
        ("name = input('? ').strip(", {"input_call", "string_method_call", "assignment"}),
        ("y = a if b else", {"conditional", "assignment"}),
        ("f = lambda x:", {"lambda", "assignment"}),
        ("return x is not", {"return", "comparison"}),
        # Python 3.12+ tokenizes f-strings in parts (PEP 701); each must read as on 3.11.
        ("x = f'a{b[0]}'.upper(", {"f_string", "string_method_call", "assignment"}),
        ("rb'x' + f'", {"f_string"}),
        ('y = F"{a"', {"f_string", "assignment"}),
        ('z = f"{x:>{w}}"[1:', {"f_string", "slicing", "assignment"}),
        ("print(f'{a}' f'{b}'", {"print_call", "f_string"}),
    ],
)
def test_lexical_constructs(line: str, expected: set[str]) -> None:
    assert set(lexical_constructs(line)) == expected


def test_unparseable_inputs_do_not_raise() -> None:
    for code in ("\0", "(" * 500, "'''unterminated", "\tx\n  y", ""):
        analyse(code)
