"""Programs written after the table was tuned on ``syntax`` and ``runtime``, run once and
not used to tune it since: the check that the table covers situations, not programs.

Their figures on the first run are in docs/triage.md; the test keeps them above the
issue's floor for a held-out set (0.90 specific), and a row added for one of them moves
that program to the other files.
"""

from __future__ import annotations

from learnflow.events import Concept as C

from . import cases

# fmt: off
HELD_OUT = cases(True, [
    ("missing_colon", C.FOR_LOOPS, "letters = 'abc'\nfor ch in letters\n    print(ch.upper())\n"),
    ("keyword_as_name", C.VARIABLES, "def show(with):\n    print(with)\n"),
    ("keyword_as_name", C.VARIABLES, "return = 4\n"),
    ("imaginary_unit_i", C.NUMBERS, "root = 4i\nprint(root)\n"),
    ("and_in_import", C.IMPORTS, "from random import randint and choice\n"),
    ("c_logical_operator", C.CONDITIONALS, "x = 3\nif x > 1 && x < 5:\n    print('in range')\n"),
    ("triple_equals", C.CONDITIONALS, "word = 'a'\nwhile word === 'a':\n    word = 'b'\n"),
    ("print_statement", C.PYTHON_BASICS, "score = 9\nprint 'score:', score\n"),
    ("capitalised_keyword", C.CONDITIONALS, "x = 0\nif x:\n    pass\nElse:\n    print('zero')\n"),
    ("missing_comma", C.LISTS, "days = ['mon' 'tue', 'wed' 7]\n"),
    ("bracket_never_closed", C.PYTHON_BASICS, "print('total:', 3 + 4\n"),
    ("name_with_space", C.VARIABLES, "user age = 12\n"),
    ("operator_without_operand", C.PYTHON_BASICS, "average = (3 + 4) /\n"),
    ("arrow_comparison", C.CONDITIONALS, "t = 5\nif t =< 3:\n    print('cold')\n"),
    ("indented_block_expected", C.INDENTATION, "def total(xs):\n# add them up\nreturn sum(xs)\n"),
    ("unterminated_string", C.STRINGS, "print(\"Hello, world)\n"),
    ("def_lookalike", C.FUNCTIONS, "fun double(n):\n    return 2 * n\n"),
    ("for_to", C.FOR_LOOPS, "for n in 2 to 8:\n    print(n)\n"),
    ("statement_as_value", C.PYTHON_BASICS, "result = while True\n"),
    ("multiplication_without_star", C.NUMBERS, "h = 4\narea = 0.5h * 3\n"),
])
# A second set, written later and run once (first run, every version: specific 30/30,
# as labelled 25/30, concept 28/30); the two whose rows were then fixed moved to runtime.py.
HELD_OUT += cases(True, [
    ("missing_colon", C.CLASSES, "class Car(object)\n    wheels = 4\n"),
    ("unterminated_string", C.STRINGS, "print('Total is: + str(5))\n"),
    ("missing_comma", C.DICTIONARIES, "user = {'name': 'Ann' 'age': 9}\n"),
    ("keyword_as_name", C.VARIABLES, "import = 'data'\n"),
    ("bracket_never_closed", C.LISTS, "grid = [[1, 2], [3, 4]\nprint(grid)\n"),
    ("indented_block_expected", C.INDENTATION, "try:\nx = 1\nexcept:\n    pass\n"),
    ("print_statement", C.PYTHON_BASICS, "for i in range(2):\n    print i\n"),
    ("assignment_in_condition", C.CONDITIONALS, "ans = 'y'\nwhile ans = 'y':\n    ans = 'n'\n"),
    ("values_side_by_side", C.PYTHON_BASICS, "first = 'a'\nlast = 'b'\nfull = first last\n"),
    ("else_without_if", C.CONDITIONALS, "n = 5\nfor i in range(n):\n    print(i)\nelse if n > 3:\n    print('big')\n"),
    ("c_logical_operator", C.CONDITIONALS, "a = 1\nif not a || a > 3:\n    print(a)\n"),
    ("unexpected_indent", C.INDENTATION, "name = 'x'\n print(name)\n"),
    ("operator_without_operand", C.PYTHON_BASICS, "if 3 > :\n    pass\n"),
    ("def_without_parentheses", C.FUNCTIONS, "def hello:\n    print('hi')\nhello()\n"),
    ("f_string", C.STRING_FORMATTING, "n = 3\nprint(f'{n:}' f'{n')\n"),
])
HELD_OUT += cases(False, [
    ("text_plus_number", C.TYPE_CONVERSION, "score = 10\nprint('Score: ' + score + '!')\n"),
    ("key_missing", C.DICTIONARIES, "colours = {'sky': 'blue'}\nprint(colours['grass'])\n"),
    ("index_literal_out_of_range", C.INDEXING_AND_SLICING, "week = ['mon', 'tue']\nprint(week[7])\n"),
    ("undefined_name_near_miss", C.VARIABLES, "number = 4\nprint(numbr * 2)\n"),
    ("method_without_self_prefix", C.CLASSES, "class Robot:\n    def beep(self):\n        return 'beep'\n    def talk(self):\n        return beep() + '!'\nprint(Robot().talk())\n"),
    ("attribute_near_miss", C.LISTS, "xs = [3, 1]\nxs.srot()\n"),
    ("int_of_non_number", C.TYPE_CONVERSION, "age = int('')\n"),
    ("none_value", C.FUNCTIONS, "def add(a, b):\n    print(a + b)\ntotal = add(1, 2) + 3\n"),
    ("global_not_declared", C.SCOPE, "lives = 3\ndef hit():\n    lives -= 1\nhit()\n"),
    ("call_arguments", C.FUNCTIONS, "def greet(name, greeting):\n    print(greeting, name)\ngreet('Ann')\n"),
    ("recursion_without_base", C.RECURSION, "def down(n):\n    print(n)\n    down(n - 1)\ndown(3)\n"),
    ("unhashable_key", C.DICTIONARIES, "seen = {}\nseen[['a']] = 1\n"),
    ("division_by_zero", C.NUMBERS, "total, n = 10, 0\navg = total / n\n"),
])
HELD_OUT += cases(False, [
    ("method_without_self_prefix", C.CLASSES, "class Game:\n    def score(self):\n        return 10\n    def report(self):\n        print(score(self))\nGame().report()\n"),
    ("self_attribute_without_self", C.CLASSES, "class Light:\n    def __init__(self):\n        self.on = False\n    def flip(self):\n        return not on\nLight().flip()\n"),
    ("used_before_defined", C.FUNCTIONS, "print(square(3))\ndef square(n):\n    return n * n\n"),
    ("local_of_another_function", C.SCOPE, "def load():\n    data = [1, 2, 3]\nload()\nprint(len(data))\n"),
    ("text_plus_number", C.TYPE_CONVERSION, "lives = 3\nprint('Lives left: ' + lives)\n"),
    ("int_of_non_number", C.TYPE_CONVERSION, "n = int('4 apples')\n"),
    ("index_literal_out_of_range", C.INDEXING_AND_SLICING, "colours = ['red', 'green']\nprint(colours[2])\n"),
    ("key_missing", C.DICTIONARIES, "stock = {'apples': 3}\nprint(stock['pears'])\n"),
    ("attribute_near_miss", C.STRINGS, "s = 'hello'\nprint(s.captalize())\n"),
    ("list_method_on_string", C.STRINGS, "name = 'ann'\nname.append('e')\n"),
    ("in_place_result_stored", C.LISTS, "xs = [5, 3]\nxs = xs.sort()\nprint(len(xs))\n"),
    ("dict_loop_without_items", C.DICTIONARIES, "scores = {'a': 1, 'b': 2}\nfor player, points in scores:\n    print(player, points)\n"),
    ("global_not_declared", C.SCOPE, "level = 1\ndef up():\n    level = level + 1\nup()\n"),
    ("assigned_in_one_branch", C.CONDITIONALS, "def grade(score):\n    if score >= 50:\n        mark = 'pass'\n    return mark\nprint(grade(10))\n"),
    ("complex_number_operation", C.NUMBERS, "z = 2j\nprint(z // 2)\n"),
    ("undefined_name_near_miss", C.VARIABLES, "total_price = 10\nprint(total_prise)\n"),
    ("call_arguments", C.FUNCTIONS, "def area(w, h):\n    return w * h\nprint(area(3))\n"),
    ("division_by_zero", C.NUMBERS, "people = 0\nshare = 12 / people\n"),
    ("sequence_called", C.INDEXING_AND_SLICING, "prices = [3, 4]\nprint(prices(1))\n"),
    ("module_member_without_module", C.IMPORTS, "import math\nprint(floor(2.5))\n"),
])
# fmt: on
