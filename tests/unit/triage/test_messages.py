"""The message table, row by row: real messages (CPython 3.11-3.13 wordings) and the
line they came with, each read by the row meant for it into its concept."""

from __future__ import annotations

import pytest

from functions.triage.messages import ROWS, Clues, Reading, concept_of_type, read_message
from learnflow.events import Concept as C
from learnflow.events import StruggleType

S, L, X = StruggleType.SYNTAX_ERROR, StruggleType.LOGIC_ERROR, StruggleType.CONCEPT_CONFUSION

# (row, exception, message, failing line, constructs on the line, constructs in the program, concept, struggle type)
# fmt: off
EXAMPLES: list[tuple[str, str, str, str, str, str, C, StruggleType]] = [
    ("indentation", "IndentationError", "expected an indented block after 'for' statement on line 1", "print(i)", "print_call", "", C.INDENTATION, S),
    ("indentation", "IndentationError", "unexpected indent", "    print(x)", "", "", C.INDENTATION, S),
    ("indentation", "IndentationError", "unindent does not match any outer indentation level", "    z = 3", "", "", C.INDENTATION, S),
    ("indentation", "TabError", "inconsistent use of tabs and spaces in indentation", "\ty = 2", "", "", C.INDENTATION, S),
    ("unterminated string", "SyntaxError", "unterminated string literal (detected at line 1)", 'print("hello)', "print_call", "", C.STRINGS, S),
    ("unterminated string", "SyntaxError", "unterminated triple-quoted string literal (detected at line 3)", 'text = """a', "", "", C.STRINGS, S),
    ("typographic quote", "SyntaxError", "invalid character '“' (U+201C)", "print(“hello”)", "print_call", "", C.STRINGS, S),
    ("f-string", "SyntaxError", "f-string: expecting '}'", 'print(f"Hello {name")', "f_string", "", C.STRING_FORMATTING, S),
    ("f-string", "SyntaxError", "f-string: empty expression not allowed", 'print(f"{}")', "f_string", "", C.STRING_FORMATTING, S),
    ("f-string", "SyntaxError", "f-string: valid expression required before '}'", 'print(f"{}")', "f_string", "", C.STRING_FORMATTING, S),
    ("comprehension target", "SyntaxError", "did you forget parentheses around the comprehension target?", "p = [x, y for x in a for y in b]", "list_comprehension", "", C.LIST_COMPREHENSION, S),
    ("= in a condition, on an assignment target", "SyntaxError", "cannot assign to function call here. Maybe you meant '==' instead of '='?", "if len(xs) = 3:", "conditional", "", C.CONDITIONALS, S),
    ("assignment to something that is not a name", "SyntaxError", "cannot assign to literal here. Maybe you meant '==' instead of '='?", "5 = x", "assignment", "", C.VARIABLES, S),
    ("assignment to something that is not a name", "SyntaxError", "cannot assign to expression here. Maybe you meant '==' instead of '='?", "x + 1 = y", "assignment", "", C.VARIABLES, S),
    ("= for ==", "SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", "while n = 0:", "while_loop", "", C.CONDITIONALS, S),
    ("= in a condition, invalid syntax", "SyntaxError", "invalid syntax", "evens = [x for x in r if x % 2 = 0]", "list_comprehension", "", C.CONDITIONALS, S),
    ("= in a condition, invalid syntax", "SyntaxError", "invalid syntax", "if score => 5:", "conditional", "", C.CONDITIONALS, S),
    ("keyword as a name", "SyntaxError", "invalid syntax", 'class = "math"', "class_def", "", C.VARIABLES, S),
    ("++ or --", "SyntaxError", "invalid syntax", "count++", "", "", C.VARIABLES, S),
    ("missing colon", "SyntaxError", "expected ':'", "for i in range(3)", "for_loop", "", C.FOR_LOOPS, S),
    ("missing colon", "SyntaxError", "expected ':'", "else", "", "", C.CONDITIONALS, S),
    ("missing colon", "SyntaxError", "expected ':'", "class Dog", "class_def", "", C.CLASSES, S),
    ("def without parentheses", "SyntaxError", "expected '('", "def greet:", "function_def", "", C.FUNCTIONS, S),
    ("parameter order", "SyntaxError", "non-default argument follows default argument", "def f(a=1, b):", "function_def", "", C.FUNCTIONS, S),
    ("parameter order", "SyntaxError", "parameter without a default follows parameter with a default", "def f(a=1, b):", "function_def", "", C.FUNCTIONS, S),
    ("argument order", "SyntaxError", "positional argument follows keyword argument", 'greet(name="Ana", 3)', "", "", C.FUNCTIONS, S),
    ("return outside a function", "SyntaxError", "'return' outside function", "return x * 2", "return", "", C.FUNCTIONS, S),
    ("break outside a loop", "SyntaxError", "'break' outside loop", "    break", "", "while_loop", C.WHILE_LOOPS, S),
    ("print statement", "SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", 'print "hello"', "", "", C.PYTHON_BASICS, S),
    ("name starting with a digit", "SyntaxError", "invalid decimal literal", '1st_place = "Ana"', "assignment", "", C.VARIABLES, S),
    ("leading zero", "SyntaxError", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", "month = 07", "assignment", "", C.NUMBERS, S),
    ("try without except", "SyntaxError", "expected 'except' or 'finally' block", "print(x)", "print_call", "", C.EXCEPTIONS, S),
    ("import ... from", "SyntaxError", "Did you mean to use 'from ... import ...' instead?", "import sqrt from math", "import", "", C.IMPORTS, S),
    ("if expression without else", "SyntaxError", "expected 'else' after 'if' expression", "e = [x if x > 0 for x in r]", "list_comprehension", "", C.LIST_COMPREHENSION, S),
    ("missing comma", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", "nums = [1, 2 3]", "assignment", "", C.LISTS, S),
    ("missing comma", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 'print("Total:" total)', "print_call", "", C.PYTHON_BASICS, S),
    ("bracket never closed", "SyntaxError", "'(' was never closed", 'print("hi"', "print_call", "", C.PYTHON_BASICS, S),
    ("bracket never closed", "SyntaxError", "'(' was never closed", "point = (1, 2", "assignment", "", C.TUPLES, S),
    ("bracket never closed", "SyntaxError", "'[' was never closed", "nums = [1, 2, 3", "assignment", "", C.LISTS, S),
    ("bracket never closed", "SyntaxError", "'[' was never closed", "sq = [n * n for n in r", "list_comprehension", "", C.LIST_COMPREHENSION, S),
    ("bracket never closed", "SyntaxError", "'{' was never closed", 'ages = {"ann": 3', "assignment", "", C.DICTIONARIES, S),
    ("bracket never opened", "SyntaxError", "unmatched ')'", "print(len(nums)))", "print_call", "", C.PYTHON_BASICS, S),
    ("brackets that do not match", "SyntaxError", "closing parenthesis ')' does not match opening parenthesis '{'", 'print({"a": 1)', "print_call", "", C.DICTIONARIES, S),
    ("missing comma", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", "print(add(1 2))", "print_call", "", C.FUNCTIONS, S),
    ("unterminated string", "SyntaxError", "unterminated f-string literal (detected at line 2)", 'print(f"Hi {name})', "print_call f_string", "", C.STRINGS, S),
    ("list method on None", "AttributeError", "'NoneType' object has no attribute 'append'", "nums.append(3)", "list_method_call", "", C.LISTS, X),
    ("attribute of None", "AttributeError", "'NoneType' object has no attribute 'upper'", "print(get().upper())", "string_method_call", "", C.FUNCTIONS, X),
    ("module attribute", "AttributeError", "module 'math' has no attribute 'squareroot'", "math.squareroot(9)", "", "", C.IMPORTS, L),
    ("module attribute", "AttributeError", "module 'random' has no attribute 'randInt'. Did you mean: 'randint'?", "random.randInt(1, 6)", "", "", C.IMPORTS, L),
    ("class attribute", "AttributeError", "type object 'Dog' has no attribute 'bark'", "Dog.bark()", "", "", C.CLASSES, X),
    ("attribute, near miss", "AttributeError", "'list' object has no attribute 'apend'", "nums.apend(2)", "", "", C.LISTS, L),
    ("attribute, near miss", "AttributeError", "'Dog' object has no attribute 'nme'. Did you mean: 'name'?", "print(d.nme)", "print_call", "", C.CLASSES, L),
    ("attribute of another type", "AttributeError", "'str' object has no attribute 'append'", 'name.append("!")', "list_method_call", "", C.STRINGS, X),
    ("attribute of another type", "AttributeError", "'dict' object has no attribute 'name'", "print(person.name)", "print_call", "", C.DICTIONARIES, X),
    ("attribute of another type", "AttributeError", "'Dog' object has no attribute 'nme'", "print(d.nme)", "print_call", "", C.CLASSES, X),
    ("attribute of another type", "AttributeError", "'ValueError' object has no attribute 'message'", "print(e.message)", "print_call", "", C.EXCEPTIONS, X),
    ("text plus a number", "TypeError", 'can only concatenate str (not "int") to str', 'print("Age: " + age)', "print_call", "", C.TYPE_CONVERSION, L),
    ("sequence plus an item", "TypeError", 'can only concatenate list (not "int") to list', "nums = nums + 3", "assignment", "", C.LISTS, X),
    ("None in arithmetic", "TypeError", "unsupported operand type(s) for +: 'NoneType' and 'int'", "r = double(4) + 1", "assignment", "", C.FUNCTIONS, X),
    ("text minus text", "TypeError", "unsupported operand type(s) for -: 'str' and 'str'", 'print(name - "a")', "print_call", "", C.STRINGS, X),
    ("text and number mixed", "TypeError", "unsupported operand type(s) for +: 'int' and 'str'", "total = total + entered", "assignment", "", C.TYPE_CONVERSION, L),
    ("text and number mixed", "TypeError", "'>' not supported between instances of 'str' and 'int'", "if age > 18:", "conditional", "", C.TYPE_CONVERSION, L),
    ("text times a number", "TypeError", "can't multiply sequence by non-int of type 'float'", "print(amount * 1.5)", "print_call", "", C.TYPE_CONVERSION, L),
    ("text as a count", "TypeError", "'str' object cannot be interpreted as an integer", "for i in range(n):", "for_loop", "", C.TYPE_CONVERSION, L),
    ("float as a count", "TypeError", "'float' object cannot be interpreted as an integer", "for i in range(half):", "for_loop", "", C.NUMBERS, L),
    ("float as an index", "TypeError", "list indices must be integers or slices, not float", "m = nums[len(nums) / 2]", "indexing", "", C.NUMBERS, L),
    ("item as an index", "TypeError", "list indices must be integers or slices, not str", "    print(names[n])", "indexing", "for_loop", C.FOR_LOOPS, X),
    ("text as an index", "TypeError", "string indices must be integers, not 'str'", "print(word[i])", "indexing", "", C.TYPE_CONVERSION, L),
    ("text as an index", "TypeError", "list indices must be integers or slices, not str", "print(names[n])", "indexing", "", C.TYPE_CONVERSION, L),
    ("not iterable", "TypeError", "'int' object is not iterable", "for i in len(nums):", "for_loop", "", C.FOR_LOOPS, X),
    ("not iterable", "TypeError", "'NoneType' object is not iterable", "for e in evens(6):", "for_loop", "", C.FUNCTIONS, X),
    ("unpacking None", "TypeError", "cannot unpack non-iterable NoneType object", "a, b = pair()", "assignment", "", C.FUNCTIONS, X),
    ("unpacking a single value", "TypeError", "cannot unpack non-iterable int object", "for a, b in [1, 2, 3]:", "for_loop", "", C.TUPLES, X),
    ("len of a number", "TypeError", "object of type 'int' has no len()", "print(len(number))", "print_call", "", C.TYPE_CONVERSION, X),
    ("len of a number", "TypeError", "object of type 'generator' has no len()", "print(len(squares))", "print_call", "", C.GENERATORS, X),
    ("not subscriptable", "TypeError", "'int' object is not subscriptable", "print(number[0])", "indexing", "", C.TYPE_CONVERSION, X),
    ("not subscriptable", "TypeError", "'set' object is not subscriptable", "print(colours[0])", "indexing", "", C.SETS, X),
    ("not subscriptable", "TypeError", "'builtin_function_or_method' object is not subscriptable", "total = len[nums]", "indexing", "", C.FUNCTIONS, X),
    ("immutable", "TypeError", "'tuple' object does not support item assignment", "point[0] = 10", "indexing", "", C.TUPLES, X),
    ("immutable", "TypeError", "'str' object does not support item assignment", 'word[0] = "b"', "indexing", "", C.STRINGS, X),
    ("number called: a missing operator", "TypeError", "'int' object is not callable", "y = 2 (x + 1)", "assignment", "", C.NUMBERS, L),
    ("not callable", "TypeError", "'int' object is not callable", "print(sum([3, 4]))", "print_call", "", C.VARIABLES, X),
    ("not callable", "TypeError", "'list' object is not callable", "print(nums(0))", "print_call", "", C.INDEXING_AND_SLICING, X),
    ("not callable", "TypeError", "'Dog' object is not callable", "d()", "", "", C.CLASSES, X),
    ("unhashable", "TypeError", "unhashable type: 'list'", 'seen[[1, 2]] = "pair"', "indexing", "", C.DICTIONARIES, X),
    ("unhashable", "TypeError", "unhashable type: 'list'", "s.add([1, 2])", "", "", C.SETS, X),
    ("lambda arguments", "TypeError", "<lambda>() missing 1 required positional argument: 'n'", "sorted(w, key=lambda w, n: 1)", "lambda", "", C.LAMBDA_FUNCTIONS, X),
    ("method without self", "TypeError", "Dog.bark() missing 1 required positional argument: 'self'", "Dog.bark()", "", "class_def", C.CLASSES, X),
    ("constructor arguments", "TypeError", "Dog.__init__() missing 1 required positional argument: 'name'", "d = Dog()", "assignment", "class_def", C.CLASSES, L),
    ("constructor arguments", "TypeError", "Dog.__init__() takes 2 positional arguments but 3 were given", 'd = Dog("Rex", 3)', "assignment", "class_def", C.CLASSES, L),
    ("class without __init__", "TypeError", "Dog() takes no arguments", 'd = Dog("Rex")', "assignment", "class_def", C.CLASSES, X),
    ("self not counted", "TypeError", "Dog.bark() takes 0 positional arguments but 1 was given", "Dog().bark()", "", "class_def", C.CLASSES, X),
    ("method arguments", "TypeError", "list.append() takes exactly one argument (2 given)", "nums.append(2, 3)", "list_method_call", "", C.LISTS, L),
    ("method arguments", "TypeError", "count() takes at least 1 argument (0 given)", "print(word.count())", "string_method_call", "", C.STRINGS, L),
    ("method arguments", "TypeError", "count expected at least 1 argument, got 0", "print(word.count())", "string_method_call", "", C.STRINGS, L),
    ("function arguments", "TypeError", "add() missing 1 required positional argument: 'b'", "print(add(1))", "print_call", "", C.FUNCTIONS, L),
    ("function arguments", "TypeError", "add() takes 2 positional arguments but 3 were given", "print(add(1, 2, 3))", "print_call", "", C.FUNCTIONS, L),
    ("function arguments", "TypeError", "greet() got an unexpected keyword argument 'nme'. Did you mean 'name'?", 'greet(nme="Ana")', "", "", C.FUNCTIONS, L),
    ("function arguments", "TypeError", "Random.randint() missing 1 required positional argument: 'b'", "random.randint(1)", "", "import", C.FUNCTIONS, L),
    ("join of non-strings", "TypeError", "sequence item 0: expected str instance, int found", 'print(", ".join(nums))', "string_method_call", "", C.STRINGS, L),
    ("% on a string", "TypeError", "not all arguments converted during string formatting", 'print("%d" % (1, 2))', "print_call", "", C.STRING_FORMATTING, L),
    ("% on text meant as a number", "TypeError", "not all arguments converted during string formatting", "if n % 2 == 1:", "conditional", "", C.TYPE_CONVERSION, L),
    ("% formatting", "TypeError", "not enough arguments for format string", 'print("%d and %d" % x)', "print_call", "", C.STRING_FORMATTING, L),
    ("% formatting", "TypeError", "%d format: a real number is required, not str", 'print("%d" % "three")', "print_call", "", C.STRING_FORMATTING, L),
    ("conversion of the wrong type", "TypeError", "int() argument must be a string, a bytes-like object or a real number, not 'list'", "int(digits)", "", "", C.TYPE_CONVERSION, L),
    ("conversion of the wrong type", "TypeError", "type str doesn't define __round__ method", "round(value)", "", "", C.TYPE_CONVERSION, L),
    ("raising a non-exception", "TypeError", "exceptions must derive from BaseException", 'raise "oops"', "", "", C.EXCEPTIONS, X),
    ("text that is not a number", "ValueError", "invalid literal for int() with base 10: 'abc'", "n = int(answer)", "assignment", "", C.TYPE_CONVERSION, L),
    ("text that is not a number", "ValueError", "could not convert string to float: '1,5'", 'p = float("1,5")', "assignment", "", C.TYPE_CONVERSION, L),
    ("maths outside its domain", "ValueError", "math domain error", "math.sqrt(-1)", "", "", C.NUMBERS, L),
    ("maths outside its domain", "ValueError", "factorial() not defined for negative values", "math.factorial(-3)", "", "", C.NUMBERS, L),
    ("item not in the list", "ValueError", "list.remove(x): x not in list", "nums.remove(5)", "list_method_call", "", C.LISTS, L),
    ("item not in the list", "ValueError", "7 is not in list", "nums.index(7)", "list_method_call", "", C.LISTS, L),
    ("substring", "ValueError", "substring not found", 'word.index("z")', "string_method_call", "", C.STRINGS, L),
    ("substring", "ValueError", "empty separator", '"abc".split("")', "string_method_call", "", C.STRINGS, L),
    ("unpacking", "ValueError", "too many values to unpack (expected 2)", "a, b = [1, 2, 3]", "assignment", "", C.TUPLES, L),
    ("unpacking", "ValueError", "not enough values to unpack (expected 3, got 2)", "x, y, z = (1, 2)", "assignment", "", C.TUPLES, L),
    ("max of nothing", "ValueError", "max() arg is an empty sequence", "max(scores)", "", "", C.LISTS, L),
    ("max of nothing", "ValueError", "max() iterable argument is empty", "max(scores)", "", "", C.LISTS, L),
    ("range step", "ValueError", "range() arg 3 must not be zero", "for i in range(0, 10, 0):", "for_loop", "", C.FOR_LOOPS, L),
    ("format code", "ValueError", "Unknown format code 'f' for object of type 'str'", 'print(f"{price:.2f}")', "f_string", "", C.STRING_FORMATTING, L),
    ("closed file", "ValueError", "I/O operation on closed file.", 'f.write("second")', "", "", C.CONTEXT_MANAGERS, X),
    ("format placeholder", "IndexError", "Replacement index 1 out of range for positional args tuple", '"{} {}".format(1)', "string_method_call", "", C.STRING_FORMATTING, L),
    ("pop", "IndexError", "pop from empty list", "top = stack.pop()", "list_method_call", "", C.LISTS, L),
    ("pop", "IndexError", "pop index out of range", "nums.pop(5)", "list_method_call", "", C.LISTS, L),
    ("growing a list by index", "IndexError", "list assignment index out of range", "    squares[i] = i * i", "indexing", "", C.LISTS, X),
    ("format placeholder name", "KeyError", "'name'", 'print("{name}".format(nme="Ana"))', "string_method_call", "", C.STRING_FORMATTING, L),
    ("set remove", "KeyError", "3", "seen.remove(3)", "list_method_call", "", C.SETS, L),
    ("name of an attribute of self", "NameError", "name 'count' is not defined. Did you mean: 'self.count'?", "        print(count)", "print_call", "class_def", C.CLASSES, X),
    ("name in a method", "NameError", "name 'count' is not defined", "        print(count)", "print_call", "class_def function_def", C.CLASSES, X),
    ("name in a function", "NameError", "name 'score' is not defined", "    print(score)", "print_call", "function_def", C.SCOPE, X),
    ("undefined name", "NameError", "name 'totl' is not defined", "print(totl)", "print_call", "", C.VARIABLES, L),
    ("undefined name", "NameError", "name 'total' is not defined. Did you mean: 'totals'?", "    print(total)", "print_call", "function_def", C.VARIABLES, L),
    ("undefined name", "NameError", "name 'math' is not defined", "print(math.sqrt(16))", "print_call", "", C.IMPORTS, L),
    ("undefined name", "NameError", "name 'math' is not defined. Did you forget to import 'math'", "math.pi", "", "", C.IMPORTS, L),
    ("undefined name", "NameError", "name 'sqrt' is not defined", "print(sqrt(16))", "print_call", "import", C.IMPORTS, L),
    ("undefined name", "NameError", "name 'true' is not defined. Did you mean: 'True'?", "done = true", "assignment", "", C.CONDITIONALS, L),
    ("undefined name", "NameError", "name 'Print' is not defined", 'Print("hello")', "", "", C.FUNCTIONS, L),
    ("undefined name", "NameError", "name 'calculate_total' is not defined", "t = calculate_total(5)", "assignment", "", C.FUNCTIONS, L),
    ("undefined name", "NameError", "name 'Dog' is not defined", "d = Dog()", "assignment", "", C.CLASSES, L),
    ("undefined name", "NameError", "name 'Ana' is not defined. Did you mean: 'any'?", "name = Ana", "assignment", "", C.STRINGS, L),
]
# fmt: on


def _read(example: tuple[str, str, str, str, str, str, C, StruggleType]) -> Reading | None:
    _, error, message, line, on_line, in_program, _, _ = example
    return read_message(error, message, Clues(line, frozenset(on_line.split()), frozenset(in_program.split())))


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e[0]}: {e[2][:50]}" for e in EXAMPLES])
def test_each_example_is_read_by_its_row(example: tuple[str, str, str, str, str, str, C, StruggleType]) -> None:
    row, _, _, _, _, _, concept, struggle_type = example
    assert _read(example) == Reading(concept, struggle_type, row)


def test_every_row_has_an_example() -> None:
    assert [row.name for row in ROWS if row.name not in {e[0] for e in EXAMPLES}] == []


def test_row_names_are_unique() -> None:
    names = [row.name for row in ROWS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("error", "message", "line"),
    [
        ("SyntaxError", "invalid syntax", "for i range(5):"),  # generic: the constructs decide
        ("SyntaxError", "expected ':'", "lambda x"),  # a colon, but no block statement to name
        ("ZeroDivisionError", "division by zero", "x = 1 / 0"),  # the type says it all
        ("KeyError", "'bob'", 'print(ages["bob"])'),  # a dictionary, as the type says
        ("IndentationError", "", "x = 1"),  # no message: nothing to read
        ("TypeError", "an unheard-of message", "x()"),
    ],
)
def test_messages_no_row_knows_are_left_to_the_type_and_constructs(error: str, message: str, line: str) -> None:
    assert read_message(error, message, Clues(line)) is None


def test_a_message_for_another_exception_is_not_read() -> None:
    assert read_message("ValueError", "'str' object has no attribute 'append'", Clues()) is None


@pytest.mark.parametrize(
    ("type_name", "concept"),
    [
        ("str", C.STRINGS),
        ("NoneType", C.FUNCTIONS),
        ("KeyError", C.EXCEPTIONS),
        ("Dog", C.CLASSES),
        ("dict_keys", C.DICTIONARIES),
    ],
)
def test_a_type_named_in_a_message_points_to_its_concept(type_name: str, concept: C) -> None:
    assert concept_of_type(type_name) is concept
