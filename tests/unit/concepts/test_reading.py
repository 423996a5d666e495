"""What a run's evidence means for the learner's own line: the reading table, example by example."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from functions.concepts.reading import ROWS, code, read_evidence
from learnflow.events import CodeEvidence, ExecutionStatus


def evidence(
    exception: str | None,
    message: str | None,
    line_text: str | None,
    line: int | None = 2,
    status: ExecutionStatus = ExecutionStatus.ERROR,
) -> CodeEvidence:
    return CodeEvidence(
        source_event_type="code.executed",
        status=status,
        exception_type=exception,
        message=message,
        line=line if line_text is not None else None,
        line_text=line_text,
    )


# (exception, message, failing line, words the meaning must hold, words the next step must hold)
# fmt: off
EXAMPLES: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("IndexError", "list index out of range", "print(nums[5])", ("`nums[5]`", "position 5, the sixth item"), ("len(nums)", "for item in nums:")),
    ("IndexError", "list index out of range", "    print(nums[i])", ("`nums[i]`", "`i` is past the end"), ("Print `i` and `len(nums)`",)),
    ("IndexError", "list index out of range", "last = nums[len(nums)]", ("just after the last item",), ("nums[-1]",)),
    ("IndexError", "list index out of range", "print(nums[-4])", ("the fourth item from the end",), ("len(nums)",)),
    ("IndexError", "string index out of range", "print(word[3])", ("fewer characters",), ("len(word)",)),
    ("IndexError", "list assignment index out of range", "    squares[i] = i * i", ("never makes the list longer",), ("squares.append(...)",)),
    ("IndexError", "pop from empty list", "top = stack.pop()", ("already empty",), ("if stack:",)),
    ("KeyError", "'bob'", 'print(ages["bob"])', ("`ages[\"bob\"]`", "'bob'"), ('ages.get("bob")',)),
    ("KeyError", "'email'", 'print(data["user"]["email"])', ("`data[\"user\"][\"email\"]`",), ('data["user"].keys()',)),
    ("KeyError", "'a'", "    counts[w] += 1", ("nothing to add 1 to",), ("counts.get(w, 0) + 1",)),
    ("KeyError", "3", "seen.remove(3)", ("set does not hold",), ("seen.discard(3)",)),
    ("KeyError", "'name'", 'print("Hi {name}".format(nme="Ana"))', ("no value named `name`",), (".format(name=...)",)),
    ("ZeroDivisionError", "division by zero", "average = sum(scores) / len(scores)", ("divides by `len(scores)`",), ("if len(scores) != 0:",)),
    ("AttributeError", "'str' object has no attribute 'append'", 'name.append("!")', ("`name` holds a string", "list method"), ('name = name + "!"',)),
    ("AttributeError", "'list' object has no attribute 'apend'", "nums.apend(2)", ("suggests `append`",), ("`.append`",)),
    ("AttributeError", "'Dog' object has no attribute 'nme'. Did you mean: 'name'?", "print(d.nme)", ("`d` holds a `Dog`",), ("`.name`",)),
    ("AttributeError", "'NoneType' object has no attribute 'append'", "nums.append(3)", ("`nums` holds `None`",), ("`.append()`",)),
    ("AttributeError", "'int' object has no attribute 'append'", "total.append(1)", ("holds an `int`",), ("print(type(total))",)),
    ("TypeError", 'can only concatenate str (not "int") to str', 'print("Age: " + age)', ("an `int`",), ("str(...)",)),
    ("TypeError", "'tuple' object does not support item assignment", "point[0] = 10", ("`point[0] = ...`",), ("list",)),
    ("TypeError", "Dog.bark() takes 0 positional arguments but 1 was given", "Dog().bark()", ("`self`",), ("def bark(self, ...):",)),
    ("TypeError", "'int' object is not iterable", "for i in len(nums):", ("a number has no items",), ("range(",)),
    ("TypeError", "not all arguments converted during string formatting", "if n % 2 == 1:", ("is text",), ("int(n) % 2",)),
    ("ValueError", "invalid literal for int() with base 10: 'abc'", "n = int(answer)", ("'abc'",), ("isdigit",)),
    ("NameError", "name 'math' is not defined", "print(math.sqrt(16))", ("is a module",), ("import math",)),
    ("NameError", "name 'sqrt' is not defined", "print(sqrt(16))", ("`math` module",), ("from math import sqrt",)),
    ("NameError", "name 'count' is not defined. Did you mean: 'self.count'?", "        print(count)", ("through `self`",), ("self.count",)),
    ("NameError", "name 'Ana' is not defined", "name = Ana", ("no quotes",), ('"Ana"',)),
    ("NameError", "name 'totl' is not defined", "print(totl)", ("`totl`",), ("spelling",)),
    ("UnboundLocalError", "cannot access local variable 'count' where it is not associated with a value", "    count += 1", ("`count`",), ("parameter",)),
    ("RecursionError", "maximum recursion depth exceeded", "    return n * fact(n - 1)", ("calling itself",), ("base case",)),
    ("SyntaxError", "expected ':'", "while n > 0", ("`while` line",), ("`while n > 0:`",)),
    ("SyntaxError", "unterminated string literal (detected at line 1)", "print('It's raining')", ("starts with `'`",), ("\"It's\"",)),
    ("SyntaxError", "invalid character '“' (U+201C)", "print(“hello”)", ("typographic quote",), ('`print("hello")`',)),
    ("SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", "if x = 5:", ("`==`",), ("`if x == 5:`",)),
    ("SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", 'print "hello"', ("function",), ('`print("hello")`',)),
    ("SyntaxError", "invalid syntax", "count++", ("could not read line 2",), ("`count++`",)),
    ("SyntaxError", "closing parenthesis ')' does not match opening parenthesis '{'", 'print({"a": 1)', ("closed with `)`",), ("`{` with `}`",)),
    ("SyntaxError", "unterminated f-string literal (detected at line 2)", 'print(f"Hi {name})', ("starts with `\"`",), ("same quote",)),
    ("IndentationError", "expected an indented block after 'for' statement on line 1", "print(i)", ("Line 1 opens a block",), ("Indent line 2",)),
    ("TabError", "inconsistent use of tabs and spaces in indentation", "\ty = 2", ("tab",), ("spaces",)),
    ("ImportError", "cannot import name 'sqroot' from 'math' (/usr/lib/python3.11/lib-dynload/math.so)", "from math import sqroot", ("no `sqroot`",), ("dir(math)",)),
    ("SomeLibraryError", "something odd", "do_it()", ("Python stopped on line 2",), ("Print the values used on line 2",)),
]
# fmt: on


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e[0]}: {e[1][:40]}" for e in EXAMPLES])
def test_the_reading_is_about_the_learners_line(example: tuple[str, str, str, tuple[str, ...], tuple[str, ...]]) -> None:
    exception, message, line_text, meaning_words, step_words = example
    reading = read_evidence(evidence(exception, message, line_text))
    assert (reading.line, reading.line_text) == (2, line_text)
    assert all(w in reading.meaning for w in meaning_words), reading.meaning
    assert all(w in reading.next_step for w in step_words), reading.next_step


def test_the_message_is_quoted_without_a_servers_file_path() -> None:
    reading = read_evidence(
        evidence("ImportError", "cannot import name 'x' from 'math' (/usr/lib/x/math.so)", "from math import x")
    )
    assert reading.said == "ImportError: cannot import name 'x' from 'math'"


def test_a_run_stopped_by_its_time_limit_has_no_line_but_still_a_next_step() -> None:
    reading = read_evidence(evidence(None, None, None, status=ExecutionStatus.TIMEOUT))
    assert reading.line is None and "time ran out" in reading.said
    assert "loop" in reading.meaning and reading.next_step


def test_a_run_out_of_memory_points_at_the_line_that_was_running() -> None:
    reading = read_evidence(
        evidence("MemoryError", "", "    data.append(x * 1000)", line=3, status=ExecutionStatus.MEMORY_EXCEEDED)
    )
    assert reading.line == 3 and "Line 3 was running" in reading.meaning


def test_the_table_ends_with_a_row_for_anything() -> None:
    assert not ROWS[-1].errors and ROWS[-1].pattern.pattern == ""


@given(
    exception=st.sampled_from(["TypeError", "ValueError", "NameError", "SyntaxError", "KeyError", "IndexError", "Oops"]),
    message=st.text(max_size=80),
    line_text=st.text(min_size=1, max_size=120).filter(lambda s: "\n" not in s and "\r" not in s),
)
def test_any_evidence_with_a_line_gets_a_reading_of_that_line(exception: str, message: str, line_text: str) -> None:
    reading = read_evidence(evidence(exception, message, line_text))
    assert reading.line == 2 and reading.line_text == line_text
    assert reading.meaning and reading.next_step


@pytest.mark.parametrize(("text", "markdown"), [("x", "`x`"), ("a`b", "`` a`b ``"), ("``", "``` `` ```")])
def test_inline_code_survives_backticks(text: str, markdown: str) -> None:
    assert code(text) == markdown
