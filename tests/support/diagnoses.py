"""Examples of every diagnosis of triage's table, for triage's tests and concepts' to share.

One row per situation: the exception and message as CPython 3.11-3.13 print them, the
failing line (line 2 of its program) and the constructs on it and in the program; what
triage must conclude (the diagnosis id, the concept, the struggle type); and words the
concepts function's explanation of it must hold (in the meaning, in the next step).
Every diagnosis has at least one example, and every example names a diagnosis: both
sides' tests check it.
"""

from __future__ import annotations

from dataclasses import dataclass

from functions.triage.clues import Answer
from functions.triage.diagnoses import diagnose, diagnose_answer
from functions.triage.diagnosis import Diagnosis
from functions.triage.evidence import answer_evidence, code_evidence
from learnflow.events import CodeEvidence, ExecutionError, ExecutionResult, ExecutionStatus, StruggleType
from learnflow.events import Concept as C

S, L, X = StruggleType.SYNTAX_ERROR, StruggleType.LOGIC_ERROR, StruggleType.CONCEPT_CONFUSION
LINE = 2


@dataclass(frozen=True)
class Example:
    diagnosis: str
    exception: str | None
    message: str
    line: str | None
    line_constructs: str = ""
    program_constructs: str = ""
    concept: C | None = None  # None: the message names no concept, triage falls back
    struggle_type: StruggleType | None = None  # None: the exception type decides
    meaning: tuple[str, ...] = ()
    next_step: tuple[str, ...] = ()
    status: ExecutionStatus = ExecutionStatus.ERROR
    code: str | None = None  # the program, for a diagnosis that reads it; its line 2 is ``line``
    answer: Answer | None = None  # a wrong answer's failing check (the run ended cleanly)

    @property
    def id(self) -> str:
        return f"{self.diagnosis}: {self.exception}: {self.message[:40]}"

    def result(self) -> ExecutionResult:
        error = None
        if self.exception is not None:
            error = ExecutionError(
                type=self.exception,
                message=self.message,
                line=LINE if self.line is not None else None,
                line_text=self.line,
                constructs=self.line_constructs.split(),
            )
        return ExecutionResult(
            exercise_id="6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90",
            submission_id="6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a91",
            status=self.status,
            error=error,
            constructs=self.program_constructs.split(),
            code=self.code,
        )

    def diagnose(self) -> Diagnosis:
        result = self.result()
        if self.answer is not None:
            return diagnose_answer(self.answer, result.code)
        return diagnose(result.status, result.error, result.constructs, result.code)

    def evidence(self) -> CodeEvidence:
        """The evidence triage writes for this run, diagnosis and facts included."""
        if self.answer is not None:
            return answer_evidence(self.result(), self.diagnose(), self.answer)
        return code_evidence(self.result(), self.diagnose())


# fmt: off
EXAMPLES: list[Example] = [
    Example("indented_block_expected", "IndentationError", "expected an indented block after 'for' statement on line 1", "print(i)", "print_call", "", C.INDENTATION, S, (), ()),
    Example("unexpected_indent", "IndentationError", "unexpected indent", "    print(x)", "", "", C.INDENTATION, S, (), ()),
    Example("unindent_mismatch", "IndentationError", "unindent does not match any outer indentation level", "    z = 3", "", "", C.INDENTATION, S, (), ()),
    Example("tabs_and_spaces", "TabError", "inconsistent use of tabs and spaces in indentation", "\ty = 2", "", "", C.INDENTATION, S, (), ()),
    Example("unterminated_string", "SyntaxError", "unterminated string literal (detected at line 1)", "print(\"hello)", "print_call", "", C.STRINGS, S, (), ()),
    Example("unterminated_triple_quote", "SyntaxError", "unterminated triple-quoted string literal (detected at line 3)", "text = \"\"\"a", "", "", C.STRINGS, S, (), ()),
    Example("typographic_quote", "SyntaxError", "invalid character '“' (U+201C)", "print(“hello”)", "print_call", "", C.STRINGS, S, (), ()),
    Example("f_string", "SyntaxError", "f-string: expecting '}'", "print(f\"Hello {name\")", "f_string", "", C.STRING_FORMATTING, S, (), ()),
    Example("f_string", "SyntaxError", "f-string: empty expression not allowed", "print(f\"{}\")", "f_string", "", C.STRING_FORMATTING, S, (), ()),
    Example("f_string", "SyntaxError", "f-string: valid expression required before '}'", "print(f\"{}\")", "f_string", "", C.STRING_FORMATTING, S, (), ()),
    Example("comprehension_target", "SyntaxError", "did you forget parentheses around the comprehension target?", "p = [x, y for x in a for y in b]", "list_comprehension", "", C.LIST_COMPREHENSION, S, (), ()),
    Example("assignment_in_condition", "SyntaxError", "cannot assign to function call here. Maybe you meant '==' instead of '='?", "if len(xs) = 3:", "conditional", "", C.CONDITIONALS, S, ("`==`",), ("`if len(xs) == 3:`",)),
    Example("assignment_to_value", "SyntaxError", "cannot assign to function call here. Maybe you meant '==' instead of '='?", "len(xs) = 3", "", "", C.VARIABLES, S, (), ()),
    Example("assignment_to_value", "SyntaxError", "cannot assign to literal here. Maybe you meant '==' instead of '='?", "5 = x", "assignment", "", C.VARIABLES, S, (), ()),
    Example("assignment_to_value", "SyntaxError", "cannot assign to expression here. Maybe you meant '==' instead of '='?", "x + 1 = y", "assignment", "", C.VARIABLES, S, (), ()),
    Example("assignment_in_condition", "SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", "while n = 0:", "while_loop", "", C.CONDITIONALS, S, (), ()),
    Example("comparison_with_equals", "SyntaxError", "invalid syntax", "evens = [x for x in r if x % 2 = 0]", "list_comprehension", "", C.CONDITIONALS, S, (), ()),
    Example("equals_in_condition", "SyntaxError", "invalid syntax", "while x = y = 2:", "while_loop", "", C.CONDITIONALS, S, (), ()),
    Example("arrow_comparison", "SyntaxError", "invalid syntax", "if score => 5:", "conditional", "", C.CONDITIONALS, S, ("`>=`",), ("`>=` instead of `=>`",)),
    Example("keyword_as_name", "SyntaxError", "invalid syntax", "class = \"math\"", "class_def", "", C.VARIABLES, S, (), ()),
    Example("increment_operator", "SyntaxError", "invalid syntax", "count++", "", "", C.VARIABLES, S, (), ()),
    Example("missing_colon", "SyntaxError", "expected ':'", "for i in range(3)", "for_loop", "", C.FOR_LOOPS, S, (), ()),
    Example("missing_colon", "SyntaxError", "expected ':'", "else", "", "", C.CONDITIONALS, S, (), ()),
    Example("missing_colon", "SyntaxError", "expected ':'", "class Dog", "class_def", "", C.CLASSES, S, (), ()),
    Example("def_without_parentheses", "SyntaxError", "expected '('", "def greet:", "function_def", "", C.FUNCTIONS, S, (), ()),
    Example("parameter_order", "SyntaxError", "non-default argument follows default argument", "def f(a=1, b):", "function_def", "", C.FUNCTIONS, S, (), ()),
    Example("parameter_order", "SyntaxError", "parameter without a default follows parameter with a default", "def f(a=1, b):", "function_def", "", C.FUNCTIONS, S, (), ()),
    Example("positional_after_keyword", "SyntaxError", "positional argument follows keyword argument", "greet(name=\"Ana\", 3)", "", "", C.FUNCTIONS, S, (), ()),
    Example("return_outside_function", "SyntaxError", "'return' outside function", "return x * 2", "return", "", C.FUNCTIONS, S, (), ()),
    Example("break_outside_loop", "SyntaxError", "'break' outside loop", "    break", "", "while_loop", C.WHILE_LOOPS, S, (), ()),
    Example("print_statement", "SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", "print \"hello\"", "", "", C.PYTHON_BASICS, S, (), ()),
    Example("name_starts_with_digit", "SyntaxError", "invalid decimal literal", "1st_place = \"Ana\"", "assignment", "", C.VARIABLES, S, (), ()),
    Example("leading_zero", "SyntaxError", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", "month = 07", "assignment", "", C.NUMBERS, S, (), ()),
    Example("try_without_except", "SyntaxError", "expected 'except' or 'finally' block", "print(x)", "print_call", "", C.EXCEPTIONS, S, (), ()),
    Example("import_from_order", "SyntaxError", "Did you mean to use 'from ... import ...' instead?", "import sqrt from math", "import", "", C.IMPORTS, S, (), ()),
    Example("if_expression_without_else", "SyntaxError", "expected 'else' after 'if' expression", "e = [x if x > 0 for x in r]", "list_comprehension", "", C.LIST_COMPREHENSION, S, (), ()),
    Example("missing_comma", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", "nums = [1, 2 3]", "assignment", "", C.LISTS, S, (), ()),
    Example("missing_comma", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", "print(\"Total:\" total)", "print_call", "", C.PYTHON_BASICS, S, (), ()),
    Example("bracket_never_closed", "SyntaxError", "'(' was never closed", "print(\"hi\"", "print_call", "", C.PYTHON_BASICS, S, (), ()),
    Example("bracket_never_closed", "SyntaxError", "'(' was never closed", "point = (1, 2", "assignment", "", C.TUPLES, S, (), ()),
    Example("bracket_never_closed", "SyntaxError", "'[' was never closed", "nums = [1, 2, 3", "assignment", "", C.LISTS, S, (), ()),
    Example("bracket_never_closed", "SyntaxError", "'[' was never closed", "sq = [n * n for n in r", "list_comprehension", "", C.LIST_COMPREHENSION, S, (), ()),
    Example("bracket_never_closed", "SyntaxError", "'{' was never closed", "ages = {\"ann\": 3", "assignment", "", C.DICTIONARIES, S, (), ()),
    Example("bracket_never_opened", "SyntaxError", "unmatched ')'", "print(len(nums)))", "print_call", "", C.PYTHON_BASICS, S, (), ()),
    Example("brackets_mismatched", "SyntaxError", "closing parenthesis ')' does not match opening parenthesis '{'", "print({\"a\": 1)", "print_call", "", C.DICTIONARIES, S, (), ()),
    Example("missing_comma", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", "print(add(1 2))", "print_call", "", C.FUNCTIONS, S, (), ()),
    Example("unterminated_string", "SyntaxError", "unterminated f-string literal (detected at line 2)", "print(f\"Hi {name})", "print_call f_string", "", C.STRINGS, S, (), ()),
    Example("none_has_no_attribute", "AttributeError", "'NoneType' object has no attribute 'append'", "nums.append(3)", "list_method_call", "", C.LISTS, X, (), ()),
    Example("none_has_no_attribute", "AttributeError", "'NoneType' object has no attribute 'upper'", "print(get().upper())", "string_method_call", "", C.FUNCTIONS, X, (), ()),
    Example("module_attribute_missing", "AttributeError", "module 'math' has no attribute 'squareroot'", "math.squareroot(9)", "", "", C.IMPORTS, L, (), ()),
    Example("module_attribute_near_miss", "AttributeError", "module 'random' has no attribute 'randInt'. Did you mean: 'randint'?", "random.randInt(1, 6)", "", "", C.IMPORTS, L, (), ()),
    Example("class_attribute_missing", "AttributeError", "type object 'Dog' has no attribute 'bark'", "Dog.bark()", "", "", C.CLASSES, X, (), ()),
    Example("attribute_near_miss", "AttributeError", "'list' object has no attribute 'apend'", "nums.apend(2)", "", "", C.LISTS, L, (), ()),
    Example("attribute_near_miss", "AttributeError", "'Dog' object has no attribute 'nme'. Did you mean: 'name'?", "print(d.nme)", "print_call", "", C.CLASSES, L, (), ()),
    Example("list_method_on_string", "AttributeError", "'str' object has no attribute 'append'", "name.append(\"!\")", "list_method_call", "", C.STRINGS, X, (), ()),
    Example("attribute_of_other_type", "AttributeError", "'dict' object has no attribute 'name'", "print(person.name)", "print_call", "", C.DICTIONARIES, X, (), ()),
    Example("attribute_of_other_type", "AttributeError", "'Dog' object has no attribute 'nme'", "print(d.nme)", "print_call", "", C.CLASSES, X, (), ()),
    Example("attribute_of_other_type", "AttributeError", "'ValueError' object has no attribute 'message'", "print(e.message)", "print_call", "", C.EXCEPTIONS, X, (), ()),
    Example("text_plus_number", "TypeError", "can only concatenate str (not \"int\") to str", "print(\"Age: \" + age)", "print_call", "", C.TYPE_CONVERSION, L, (), ()),
    Example("list_plus_item", "TypeError", "can only concatenate list (not \"int\") to list", "nums = nums + 3", "assignment", "", C.LISTS, X, (), ()),
    Example("none_value", "TypeError", "unsupported operand type(s) for +: 'NoneType' and 'int'", "r = double(4) + 1", "assignment", "", C.FUNCTIONS, X, (), ()),
    Example("text_arithmetic", "TypeError", "unsupported operand type(s) for -: 'str' and 'str'", "print(name - \"a\")", "print_call", "", C.STRINGS, X, (), ()),
    Example("text_and_number_mixed", "TypeError", "unsupported operand type(s) for +: 'int' and 'str'", "total = total + entered", "assignment", "", C.TYPE_CONVERSION, L, (), ()),
    Example("text_and_number_mixed", "TypeError", "'>' not supported between instances of 'str' and 'int'", "if age > 18:", "conditional", "", C.TYPE_CONVERSION, L, (), ()),
    Example("multiply_by_non_int", "TypeError", "can't multiply sequence by non-int of type 'float'", "print(amount * 1.5)", "print_call", "", C.TYPE_CONVERSION, L, (), ()),
    Example("text_as_count", "TypeError", "'str' object cannot be interpreted as an integer", "for i in range(n):", "for_loop", "", C.TYPE_CONVERSION, L, (), ()),
    Example("float_as_count", "TypeError", "'float' object cannot be interpreted as an integer", "for i in range(half):", "for_loop", "", C.NUMBERS, L, (), ()),
    Example("float_index", "TypeError", "list indices must be integers or slices, not float", "m = nums[len(nums) / 2]", "indexing", "", C.NUMBERS, L, (), ()),
    Example("text_index", "TypeError", "list indices must be integers or slices, not str", "    print(names[n])", "indexing", "for_loop", C.FOR_LOOPS, X, (), ()),
    Example("text_index", "TypeError", "string indices must be integers, not 'str'", "print(word[i])", "indexing", "", C.TYPE_CONVERSION, L, (), ()),
    Example("text_index", "TypeError", "list indices must be integers or slices, not str", "print(names[n])", "indexing", "", C.TYPE_CONVERSION, L, (), ()),
    Example("number_not_iterable", "TypeError", "'int' object is not iterable", "for i in len(nums):", "for_loop", "", C.FOR_LOOPS, X, (), ()),
    Example("none_value", "TypeError", "'NoneType' object is not iterable", "for e in evens(6):", "for_loop", "", C.FUNCTIONS, X, (), ()),
    Example("unpack_single_value", "TypeError", "cannot unpack non-iterable NoneType object", "a, b = pair()", "assignment", "", C.FUNCTIONS, X, (), ()),
    Example("unpack_single_value", "TypeError", "cannot unpack non-iterable int object", "for a, b in [1, 2, 3]:", "for_loop", "", C.TUPLES, X, (), ()),
    Example("number_has_no_len", "TypeError", "object of type 'int' has no len()", "print(len(number))", "print_call", "", C.TYPE_CONVERSION, X, (), ()),
    Example("no_len", "TypeError", "object of type 'generator' has no len()", "print(len(squares))", "print_call", "", C.GENERATORS, X, (), ()),
    Example("number_not_subscriptable", "TypeError", "'int' object is not subscriptable", "print(number[0])", "indexing", "", C.TYPE_CONVERSION, X, (), ()),
    Example("no_positions", "TypeError", "'set' object is not subscriptable", "print(colours[0])", "indexing", "", C.SETS, X, (), ()),
    Example("not_subscriptable", "TypeError", "'builtin_function_or_method' object is not subscriptable", "total = len[nums]", "indexing", "", C.FUNCTIONS, X, (), ()),
    Example("immutable_item_assignment", "TypeError", "'tuple' object does not support item assignment", "point[0] = 10", "indexing", "", C.TUPLES, X, (), ()),
    Example("immutable_item_assignment", "TypeError", "'str' object does not support item assignment", "word[0] = \"b\"", "indexing", "", C.STRINGS, X, (), ()),
    Example("number_called", "TypeError", "'int' object is not callable", "y = 2 (x + 1)", "assignment", "", C.NUMBERS, L, ("`2 (`",), ("`2 * (...`",)),
    Example("builtin_hidden_by_variable", "TypeError", "'int' object is not callable", "print(sum([3, 4]))", "print_call", "", C.VARIABLES, X, ("`sum` is a built-in",), ("Rename your variable",), code="sum = 0\nprint(sum([3, 4]))\n"),
    Example("not_callable", "TypeError", "'int' object is not callable", "print(total([3, 4]))", "print_call", "", C.VARIABLES, X, (), ()),
    Example("sequence_called", "TypeError", "'list' object is not callable", "print(nums(0))", "print_call", "", C.INDEXING_AND_SLICING, X, ("square brackets",), ("`[...]`",)),
    Example("not_callable", "TypeError", "'Dog' object is not callable", "d()", "", "", C.CLASSES, X, (), ()),
    Example("unhashable_key", "TypeError", "unhashable type: 'list'", "seen[[1, 2]] = \"pair\"", "indexing", "", C.DICTIONARIES, X, (), ()),
    Example("unhashable_key", "TypeError", "unhashable type: 'list'", "s.add([1, 2])", "", "", C.SETS, X, (), ()),
    Example("lambda_arguments", "TypeError", "<lambda>() missing 1 required positional argument: 'n'", "sorted(w, key=lambda w, n: 1)", "lambda", "", C.LAMBDA_FUNCTIONS, X, (), ()),
    Example("method_on_class", "TypeError", "Dog.bark() missing 1 required positional argument: 'self'", "Dog.bark()", "", "class_def", C.CLASSES, X, (), ()),
    Example("call_arguments", "TypeError", "Dog.__init__() missing 1 required positional argument: 'name'", "d = Dog()", "assignment", "class_def", C.CLASSES, L, (), ()),
    Example("call_arguments", "TypeError", "Dog.__init__() takes 2 positional arguments but 3 were given", "d = Dog(\"Rex\", 3)", "assignment", "class_def", C.CLASSES, L, (), ()),
    Example("class_without_init", "TypeError", "Dog() takes no arguments", "d = Dog(\"Rex\")", "assignment", "class_def", C.CLASSES, X, (), ()),
    Example("init_not_defined", "TypeError", "Point() takes no arguments", "p = Point(1, 2)", "assignment", "class_def", C.CLASSES, X, ("defines no `__init__`",), ("def __init__(self, ...)",), code="class Point: pass\np = Point(1, 2)\n"),
    Example("method_without_self", "TypeError", "Dog.bark() takes 0 positional arguments but 1 was given", "Dog().bark()", "", "class_def", C.CLASSES, X, (), ()),
    Example("method_argument_count", "TypeError", "list.append() takes exactly one argument (2 given)", "nums.append(2, 3)", "list_method_call", "", C.LISTS, L, (), ()),
    Example("method_needs_arguments", "TypeError", "count() takes at least 1 argument (0 given)", "print(word.count())", "string_method_call", "", C.STRINGS, L, (), ()),
    Example("method_needs_arguments", "TypeError", "count expected at least 1 argument, got 0", "print(word.count())", "string_method_call", "", C.STRINGS, L, (), ()),
    Example("call_arguments", "TypeError", "add() missing 1 required positional argument: 'b'", "print(add(1))", "print_call", "", C.FUNCTIONS, L, (), ()),
    Example("call_arguments", "TypeError", "add() takes 2 positional arguments but 3 were given", "print(add(1, 2, 3))", "print_call", "", C.FUNCTIONS, L, (), ()),
    Example("call_arguments", "TypeError", "greet() got an unexpected keyword argument 'nme'. Did you mean 'name'?", "greet(nme=\"Ana\")", "", "", C.FUNCTIONS, L, (), ()),
    Example("call_arguments", "TypeError", "Random.randint() missing 1 required positional argument: 'b'", "random.randint(1)", "", "import", C.FUNCTIONS, L, (), ()),
    Example("join_non_strings", "TypeError", "sequence item 0: expected str instance, int found", "print(\", \".join(nums))", "string_method_call", "", C.STRINGS, L, (), ()),
    Example("percent_on_text", "TypeError", "not all arguments converted during string formatting", "print(\"%d\" % (1, 2))", "print_call", "", C.STRING_FORMATTING, L, (), ()),
    Example("percent_on_text", "TypeError", "not all arguments converted during string formatting", "if n % 2 == 1:", "conditional", "", C.TYPE_CONVERSION, L, (), ()),
    Example("format_arguments_missing", "TypeError", "not enough arguments for format string", "print(\"%d and %d\" % x)", "print_call", "", C.STRING_FORMATTING, L, (), ()),
    Example("percent_format_type", "TypeError", "%d format: a real number is required, not str", "print(\"%d\" % \"three\")", "print_call", "", C.STRING_FORMATTING, L, (), ()),
    Example("conversion_of_wrong_type", "TypeError", "int() argument must be a string, a bytes-like object or a real number, not 'list'", "int(digits)", "", "", C.TYPE_CONVERSION, L, (), ()),
    Example("conversion_of_wrong_type", "TypeError", "type str doesn't define __round__ method", "round(value)", "", "", C.TYPE_CONVERSION, L, (), ()),
    Example("raise_non_exception", "TypeError", "exceptions must derive from BaseException", "raise \"oops\"", "", "", C.EXCEPTIONS, X, (), ()),
    Example("int_of_non_number", "ValueError", "invalid literal for int() with base 10: 'abc'", "n = int(answer)", "assignment", "", C.TYPE_CONVERSION, L, (), ()),
    Example("float_of_non_number", "ValueError", "could not convert string to float: '1,5'", "p = float(\"1,5\")", "assignment", "", C.TYPE_CONVERSION, L, (), ()),
    Example("math_domain", "ValueError", "math domain error", "math.sqrt(-1)", "", "", C.NUMBERS, L, (), ()),
    Example("math_domain", "ValueError", "factorial() not defined for negative values", "math.factorial(-3)", "", "", C.NUMBERS, L, (), ()),
    Example("item_not_in_list", "ValueError", "list.remove(x): x not in list", "nums.remove(5)", "list_method_call", "", C.LISTS, L, (), ()),
    Example("item_not_in_list", "ValueError", "7 is not in list", "nums.index(7)", "list_method_call", "", C.LISTS, L, (), ()),
    Example("substring_not_found", "ValueError", "substring not found", "word.index(\"z\")", "string_method_call", "", C.STRINGS, L, (), ()),
    Example("empty_separator", "ValueError", "empty separator", "\"abc\".split(\"\")", "string_method_call", "", C.STRINGS, L, (), ()),
    Example("unpack_count", "ValueError", "too many values to unpack (expected 2)", "a, b = [1, 2, 3]", "assignment", "", C.TUPLES, L, (), ()),
    Example("unpack_count", "ValueError", "not enough values to unpack (expected 3, got 2)", "x, y, z = (1, 2)", "assignment", "", C.TUPLES, L, (), ()),
    Example("max_of_empty", "ValueError", "max() arg is an empty sequence", "max(scores)", "", "", C.LISTS, L, (), ()),
    Example("max_of_empty", "ValueError", "max() iterable argument is empty", "max(scores)", "", "", C.LISTS, L, (), ()),
    Example("range_step_zero", "ValueError", "range() arg 3 must not be zero", "for i in range(0, 10, 0):", "for_loop", "", C.FOR_LOOPS, L, (), ()),
    Example("format_code_mismatch", "ValueError", "Unknown format code 'f' for object of type 'str'", "print(f\"{price:.2f}\")", "f_string", "", C.STRING_FORMATTING, L, (), ()),
    Example("closed_file", "ValueError", "I/O operation on closed file.", "f.write(\"second\")", "", "", C.CONTEXT_MANAGERS, X, (), ()),
    Example("format_placeholder_out_of_range", "IndexError", "Replacement index 1 out of range for positional args tuple", "\"{} {}\".format(1)", "string_method_call", "", C.STRING_FORMATTING, L, (), ()),
    Example("pop_from_empty_list", "IndexError", "pop from empty list", "top = stack.pop()", "list_method_call", "", C.LISTS, L, (), ()),
    Example("pop_index_out_of_range", "IndexError", "pop index out of range", "nums.pop(5)", "list_method_call", "", C.LISTS, L, (), ()),
    Example("list_assignment_out_of_range", "IndexError", "list assignment index out of range", "    squares[i] = i * i", "indexing", "", C.LISTS, X, (), ()),
    Example("format_key_missing", "KeyError", "'name'", "print(\"{name}\".format(nme=\"Ana\"))", "string_method_call", "", C.STRING_FORMATTING, L, (), ()),
    Example("set_remove_missing", "KeyError", "3", "seen.remove(3)", "list_method_call", "", C.SETS, L, (), ()),
    Example("self_attribute_without_self", "NameError", "name 'count' is not defined. Did you mean: 'self.count'?", "        print(count)", "print_call", "class_def", C.CLASSES, X, (), ()),
    Example("undefined_name", "NameError", "name 'count' is not defined", "        print(count)", "print_call", "class_def function_def", C.CLASSES, X, (), ()),
    Example("undefined_name", "NameError", "name 'score' is not defined", "    print(score)", "print_call", "function_def", C.SCOPE, X, (), ()),
    Example("undefined_name", "NameError", "name 'totl' is not defined", "print(totl)", "print_call", "", C.VARIABLES, L, (), ()),
    Example("undefined_name_near_miss", "NameError", "name 'total' is not defined. Did you mean: 'totals'?", "    print(total)", "print_call", "function_def", C.VARIABLES, L, (), ()),
    Example("module_not_imported", "NameError", "name 'math' is not defined", "print(math.sqrt(16))", "print_call", "", C.IMPORTS, L, (), ()),
    Example("module_not_imported", "NameError", "name 'math' is not defined. Did you forget to import 'math'", "math.pi", "", "", C.IMPORTS, L, (), ()),
    Example("module_member_without_module", "NameError", "name 'sqrt' is not defined", "print(sqrt(16))", "print_call", "import", C.IMPORTS, L, (), ()),
    Example("boolean_lowercase", "NameError", "name 'true' is not defined. Did you mean: 'True'?", "done = true", "assignment", "", C.CONDITIONALS, L, (), ()),
    Example("undefined_function", "NameError", "name 'Print' is not defined", "Print(\"hello\")", "", "", C.FUNCTIONS, L, (), ()),
    Example("undefined_function", "NameError", "name 'calculate_total' is not defined", "t = calculate_total(5)", "assignment", "", C.FUNCTIONS, L, (), ()),
    Example("undefined_function", "NameError", "name 'Dog' is not defined", "d = Dog()", "assignment", "", C.CLASSES, L, (), ()),
    Example("text_without_quotes", "NameError", "name 'Ana' is not defined. Did you mean: 'any'?", "name = Ana", "assignment", "", C.STRINGS, L, (), ()),
    Example("index_literal_out_of_range", "IndexError", "list index out of range", "print(nums[5])", "", "", None, None, ('`nums[5]`', 'position 5, the sixth item'), ('len(nums)', 'for item in nums:')),
    Example("index_out_of_range", "IndexError", "list index out of range", "    print(nums[i])", "", "", None, None, ('`nums[i]`', '`i` is past the end'), ('Print `i` and `len(nums)`',)),
    Example("index_one_past_end", "IndexError", "list index out of range", "last = nums[len(nums)]", "", "", None, None, ('just after the last item',), ('nums[-1]',)),
    Example("index_literal_out_of_range", "IndexError", "list index out of range", "print(nums[-4])", "", "", None, None, ('the fourth item from the end',), ('len(nums)',)),
    Example("index_literal_out_of_range", "IndexError", "string index out of range", "print(word[3])", "", "", None, None, ('fewer characters',), ('len(word)',)),
    Example("list_assignment_out_of_range", "IndexError", "list assignment index out of range", "    squares[i] = i * i", "", "", C.LISTS, X, ('never makes the list longer',), ('squares.append(...)',)),
    Example("pop_from_empty_list", "IndexError", "pop from empty list", "top = stack.pop()", "", "", C.LISTS, L, ('already empty',), ('if stack:',)),
    Example("key_missing", "KeyError", "'bob'", "print(ages[\"bob\"])", "", "", None, None, ('`ages["bob"]`', "'bob'"), ('ages.get("bob")',)),
    Example("key_missing", "KeyError", "'email'", "print(data[\"user\"][\"email\"])", "", "", None, None, ('`data["user"]["email"]`',), ('data["user"].keys()',)),
    Example("counting_without_start", "KeyError", "'a'", "    counts[w] += 1", "", "", None, None, ('nothing to add 1 to',), ('counts.get(w, 0) + 1',)),
    Example("set_remove_missing", "KeyError", "3", "seen.remove(3)", "", "", C.SETS, L, ('set does not hold',), ('seen.discard(3)',)),
    Example("format_key_missing", "KeyError", "'name'", "print(\"Hi {name}\".format(nme=\"Ana\"))", "", "", C.STRING_FORMATTING, L, ('no value named `name`',), ('.format(name=...)',)),
    Example("division_by_zero", "ZeroDivisionError", "division by zero", "average = sum(scores) / len(scores)", "", "", None, None, ('divides by `len(scores)`',), ('if len(scores) != 0:',)),
    Example("list_method_on_string", "AttributeError", "'str' object has no attribute 'append'", "name.append(\"!\")", "", "", C.STRINGS, X, ('`name` holds a string', 'list method'), ('name = name + "!"',)),
    Example("attribute_near_miss", "AttributeError", "'list' object has no attribute 'apend'", "nums.apend(2)", "", "", C.LISTS, L, ('closest one it has is `append`',), ('`.append`',)),
    Example("attribute_near_miss", "AttributeError", "'Dog' object has no attribute 'nme'. Did you mean: 'name'?", "print(d.nme)", "", "", C.CLASSES, L, ('`d` holds a `Dog`',), ('`.name`',)),
    Example("none_has_no_attribute", "AttributeError", "'NoneType' object has no attribute 'append'", "nums.append(3)", "", "", C.LISTS, X, ('`nums` holds `None`',), ('`.append()`',)),
    Example("attribute_of_other_type", "AttributeError", "'int' object has no attribute 'upper'", "total.upper()", "", "", C.NUMBERS, X, ('holds an `int`',), ('print(type(total))',)),
    Example("attribute_near_miss", "AttributeError", "'Dog' object has no attribute 'nme'", "print(d.nme)", "print_call", "class_def", C.CLASSES, L, ("closest one it has is `name`",), ("`.name`",), code="class Dog:\n    def __init__(self): self.name = 'Rex'\nd = Dog()\n"),
    Example("text_plus_number", "TypeError", "can only concatenate str (not \"int\") to str", "print(\"Age: \" + age)", "", "", C.TYPE_CONVERSION, L, ('an `int`',), ('str(...)',)),
    Example("immutable_item_assignment", "TypeError", "'tuple' object does not support item assignment", "point[0] = 10", "", "", C.TUPLES, X, ('`point[0] = ...`',), ('list',)),
    Example("method_without_self", "TypeError", "Dog.bark() takes 0 positional arguments but 1 was given", "Dog().bark()", "", "", C.FUNCTIONS, L, ('`self`',), ('def bark(self, ...):',)),
    Example("number_not_iterable", "TypeError", "'int' object is not iterable", "for i in len(nums):", "", "", C.FOR_LOOPS, X, ('a number has no items',), ('range(',)),
    Example("percent_on_text", "TypeError", "not all arguments converted during string formatting", "if n % 2 == 1:", "", "", C.TYPE_CONVERSION, L, ('is text',), ('int(n) % 2',)),
    Example("int_of_non_number", "ValueError", "invalid literal for int() with base 10: 'abc'", "n = int(answer)", "", "", C.TYPE_CONVERSION, L, ("'abc'",), ('isdigit',)),
    Example("module_not_imported", "NameError", "name 'math' is not defined", "print(math.sqrt(16))", "", "", C.IMPORTS, L, ('is a module',), ('import math',)),
    Example("module_member_without_module", "NameError", "name 'sqrt' is not defined", "print(sqrt(16))", "", "", C.IMPORTS, L, ('`math` module',), ('from math import sqrt',)),
    Example("self_attribute_without_self", "NameError", "name 'count' is not defined. Did you mean: 'self.count'?", "        print(count)", "", "", C.CLASSES, X, ('through `self`',), ('self.count',)),
    Example("text_without_quotes", "NameError", "name 'Ana' is not defined", "name = Ana", "", "", C.STRINGS, L, ('no quotes',), ('"Ana"',)),
    Example("undefined_name", "NameError", "name 'totl' is not defined", "print(totl)", "", "", C.VARIABLES, L, ('`totl`',), ('spelling',)),
    Example("name_never_defined", "NameError", "name 'height' is not defined", "print(width * height)", "print_call", "", C.VARIABLES, L, ("never given a value",), ("`height = ...`",), code="width = 3\nprint(width * height)\n"),
    Example("unbound_local", "UnboundLocalError", "cannot access local variable 'count' where it is not associated with a value", "    count += 1", "", "", None, None, ('`count`',), ('parameter',)),
    Example("recursion_without_base", "RecursionError", "maximum recursion depth exceeded", "    return n * fact(n - 1)", "", "", None, None, ('calling itself',), ('base case',)),
    Example("missing_colon", "SyntaxError", "expected ':'", "while n > 0", "", "", C.WHILE_LOOPS, S, ('`while` line',), ('`while n > 0:`',)),
    Example("unterminated_string", "SyntaxError", "unterminated string literal (detected at line 1)", "print('It's raining')", "", "", C.STRINGS, S, ("starts with `'`",), ('"It\'s"',)),
    Example("typographic_quote", "SyntaxError", "invalid character '“' (U+201C)", "print(“hello”)", "", "", C.STRINGS, S, ('typographic quote',), ('`print("hello")`',)),
    Example("assignment_in_condition", "SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", "if x = 5:", "", "", C.CONDITIONALS, S, ('`==`',), ('`if x == 5:`',)),
    Example("print_statement", "SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", "print \"hello\"", "", "", C.PYTHON_BASICS, S, ('function',), ('`print("hello")`',)),
    Example("increment_operator", "SyntaxError", "invalid syntax", "count++", "", "", C.VARIABLES, S, ('no `++`',), ('+= 1',)),
    Example("brackets_mismatched", "SyntaxError", "closing parenthesis ')' does not match opening parenthesis '{'", "print({\"a\": 1)", "", "", C.DICTIONARIES, S, ('closed with `)`',), ('`{` with `}`',)),
    Example("unterminated_string", "SyntaxError", "unterminated f-string literal (detected at line 2)", "print(f\"Hi {name})", "", "", C.STRINGS, S, ('starts with `"`',), ('same quote',)),
    Example("indented_block_expected", "IndentationError", "expected an indented block after 'for' statement on line 1", "print(i)", "", "", C.INDENTATION, S, ('Line 1 opens a block',), ('Indent line 2',)),
    Example("tabs_and_spaces", "TabError", "inconsistent use of tabs and spaces in indentation", "\ty = 2", "", "", C.INDENTATION, S, ('tab',), ('spaces',)),
    Example("import_name_missing", "ImportError", "cannot import name 'sqroot' from 'math' (/usr/lib/python3.11/lib-dynload/math.so)", "from math import sqroot", "", "", None, None, ('no `sqroot`',), ('dir(math)',)),
    Example("unrecognised", "SomeLibraryError", "something odd", "do_it()", "", "", None, None, ('Python stopped on line 2',), ('Print the values used on line 2',)),
    Example("indentation_other", "IndentationError", "too many levels of indentation", "x = 1", "", "", C.INDENTATION, S, (), ()),
    Example("popitem_from_empty", "KeyError", "'popitem(): dictionary is empty'", "k, v = d.popitem()", "", "", None, None, ('already empty',), ('if d:',)),
    Example("pop_missing_key", "KeyError", "'c'", "d.pop(\"c\")", "dict_method_call", "", None, None, ("removes the key 'c'",), ('d.pop("c", None)',)),
    Example("division_by_literal_zero", "ZeroDivisionError", "division by zero", "print(10 / 0)", "print_call", "", None, None, ('divides by `0`',), ('the number you meant',)),
    Example("overflow", "OverflowError", "(34, 'Numerical result out of range')", "print(2.0 ** 10000)", "print_call", "", None, None, ('too large',), ('whole numbers',)),
    Example("assertion_failed", "AssertionError", "", "assert total == 10", "comparison", "", None, None, ('`assert` on line 2',), ('both sides',)),
    Example("attribute_missing", "AttributeError", "'Dog' object has no attribute 'bark'", "print(pets[0].bark())", "print_call", "", C.CLASSES, X, ('before `.bark`', 'a `Dog`'), ('print(type(...))',)),
    Example("tuple_plus_item", "TypeError", "can only concatenate tuple (not \"int\") to tuple", "point = point + 3", "assignment", "", C.TUPLES, X, ('an `int` to a tuple',), ('(3,)',)),
    Example("not_iterable", "TypeError", "'Dog' object is not iterable", "for x in dog:", "for_loop", "class_def", C.CLASSES, X, ('a `Dog`',), ('print(type(...))',)),
    Example("item_assignment_unsupported", "TypeError", "'range' object does not support item assignment", "r[0] = 5", "indexing assignment", "", C.FOR_LOOPS, X, ('a `range`',), ('in a list',)),
    Example("has_no_len", "TypeError", "object of type 'Dog' has no len()", "print(len(dog))", "print_call", "class_def", C.CLASSES, X, ('a `Dog`',), ('count a collection',)),
    Example("call_argument_count", "TypeError", "append() takes exactly one argument (0 given)", "nums.append()", "list_method_call", "", C.LISTS, L, ('`append()` takes one',), ('.extend([...])',)),
    Example("exhausted_iterator", "StopIteration", "", "x = next(it)", "assignment", "", None, None, ('after it has given all',), ('next(it, None)',)),
    Example("file_not_found", "FileNotFoundError", "[Errno 2] No such file or directory: 'data.txt'", "f = open(\"data.txt\")", "assignment", "", None, None, ('does not exist',), ('empty folder',)),
    Example("module_not_found", "ModuleNotFoundError", "No module named 'numpy'", "import numpy", "import", "", None, None, ('no module called `numpy`',), ('standard library',)),
    Example("pow_modulus_zero", "ValueError", "pow() 3rd argument cannot be 0", "print(pow(2, 4, 0))", "print_call", "", C.NUMBERS, L, ("a modulus of 0",), ("two numbers",)),
    # Read from the program: the tokens of the line, or the program's tree and names.
    Example("else_if", "SyntaxError", "expected ':'", "else if x > 3:", "conditional", "", C.CONDITIONALS, S, ("`elif`",), ("`elif x > 3:`",)),
    Example("triple_equals", "SyntaxError", "invalid syntax", "if x === 2:", "conditional", "", C.CONDITIONALS, S, ("JavaScript",), ("`==` instead of `===`",)),
    Example("imaginary_unit_i", "SyntaxError", "invalid decimal literal", "a = 3.0i", "assignment", "", C.NUMBERS, S, ("`3.0i`",), ("`3.0j`",)),
    Example("multiplication_without_star", "SyntaxError", "invalid decimal literal", "y = 2x + 1", "assignment", "", C.NUMBERS, S, ("`2x`",), ("`2 * x`",)),
    Example("name_starts_with_digit", "SyntaxError", "invalid decimal literal", "1st_place = 'Ann'", "assignment", "", C.VARIABLES, S, ("`1st_place` starts with a digit",), ("first_place",)),
    Example("number_literal_invalid", "SyntaxError", "invalid hexadecimal literal", "colour = 0xGG", "assignment", "", C.NUMBERS, S, ("`0x`",), ("digits after the prefix",)),
    Example("import_incomplete", "SyntaxError", "Expected one or more names after 'import'", "from math import", "import", "", C.IMPORTS, S, ("stops at `import`",), ("from math import sqrt",)),
    Example("import_incomplete", "SyntaxError", "invalid syntax", "import math as", "import", "", C.IMPORTS, S, ("stops at `as`",), ()),
    Example("and_in_import", "SyntaxError", "invalid syntax", "from math import sin and cos", "import", "", C.IMPORTS, S, ("`sin and cos`",), ("`from math import sin, cos`",)),
    Example("capitalised_keyword", "SyntaxError", "invalid syntax", "If x > 3:", "comparison", "", C.CONDITIONALS, S, ("`If` with a capital",), ("`if` instead of `If`",)),
    Example("def_lookalike", "SyntaxError", "invalid syntax", "function greet(name):", "", "", C.FUNCTIONS, S, ("`function`",), ("`def greet(`",)),
    Example("c_style_for", "SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", "for (i = 0; i < 10; i++):", "", "", C.FOR_LOOPS, S, ("counting loop from another language",), ("range(start, stop)",)),
    Example("for_to", "SyntaxError", "invalid syntax", "for i in 1 to 10:", "for_loop", "", C.FOR_LOOPS, S, ("`to` is not",), ("`for i in range(1, 11):`",)),
    Example("for_without_in", "SyntaxError", "invalid syntax", "for i range(5):", "for_loop", "", C.FOR_LOOPS, S, ("`in` after `i`",), ("`for i in ...:`",)),
    Example("c_logical_operator", "SyntaxError", "invalid syntax", "if ready && hungry:", "conditional", "", C.CONDITIONALS, S, ("`&&`",), ("`and`",)),
    Example("and_without_subject", "SyntaxError", "invalid syntax", "if x > 3 and < 5:", "conditional", "", C.CONDITIONALS, S, ("`x` is not repeated",), ("`if x > 3 and x < 5:`",)),
    Example("braces_for_block", "SyntaxError", "invalid syntax", "if x > 3 {", "conditional", "", C.INDENTATION, S, ("indented lines",), ("Remove the braces",)),
    Example("else_without_if", "SyntaxError", "invalid syntax", "else:", "", "", C.CONDITIONALS, S, ("`else` must follow",), ("same indentation",)),
    Example("c_style_comment", "SyntaxError", "invalid syntax", "// add the two numbers", "", "", C.PYTHON_BASICS, S, ("`//`",), ("`#`",)),
    Example("statement_in_lambda", "SyntaxError", "invalid syntax", "double = lambda x: return x * 2", "assignment lambda", "", C.LAMBDA_FUNCTIONS, S, ("`return`",), ("lambda x: x * 2",)),
    Example("statement_as_value", "SyntaxError", "invalid syntax", "grade = if score > 50", "", "", C.PYTHON_BASICS, S, ("`if` starts a statement",), ()),
    Example("header_without_colon", "SyntaxError", "invalid syntax", "if x == 1 print(x)", "conditional", "", C.CONDITIONALS, S, ("`if` line",), ("colon",)),
    Example("name_with_space", "SyntaxError", "invalid syntax", "my name = 'Bob'", "", "", C.VARIABLES, S, ("`my name`",), ("`my_name`",)),
    Example("assignments_joined_by_comma", "SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", "a = 1, b = 2", "", "", C.VARIABLES, S, ("two assignments",), ("a, b = 1, 2",)),
    Example("dot_without_name", "SyntaxError", "invalid syntax", "print(name.)", "", "", C.PYTHON_BASICS, S, ("no name after it",), ("text.upper()",)),
    Example("doubled_comma", "SyntaxError", "invalid syntax", "print(1,, 2)", "print_call", "", C.PYTHON_BASICS, S, ("Two commas",), ()),
    Example("operator_without_operand", "SyntaxError", "invalid syntax", "total = price +", "assignment", "", C.PYTHON_BASICS, S, ("`+` needs a value",), ()),
    Example("values_side_by_side", "SyntaxError", "invalid syntax", "total = price quantity", "", "", C.PYTHON_BASICS, S, ("`price quantity`",), ()),
    Example("maths_sign", "SyntaxError", "invalid character '×' (U+00D7)", "area = w × h", "", "", C.NUMBERS, S, ("`×`",), ("`*`",)),
    Example("invisible_or_foreign_character", "SyntaxError", "invalid non-printable character U+00A0", "x = 3\u00a0+ 4", "", "", C.PYTHON_BASICS, S, ("`U+00A0`",), ("Retype line 2",)),
    Example("backslash_outside_text", "SyntaxError", "unexpected character after line continuation character", "half = total \\ 2", "", "", C.PYTHON_BASICS, S, ("backslash",), ("`/`",)),
    Example("backslash_in_path", "SyntaxError", "(unicode error) 'unicodeescape' codec can't decode bytes in position 2-3: truncated \\UXXXXXXXX escape", "f = open('C:\\Users\\ann.txt')", "", "", C.STRINGS, S, ("special character",), ("raw string",)),
    Example("escape_in_text", "SyntaxError", "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: malformed \\N character escape", "print(\\N)", "", "", C.STRINGS, S, ("special character",), ()),
    Example("parameter_repeated", "SyntaxError", "duplicate argument 'x' in function definition", "def add(x, x):", "function_def", "", C.FUNCTIONS, S, ("`x` is listed twice",), ()),
    Example("keyword_argument_repeated", "SyntaxError", "keyword argument repeated: sep", "print(1, sep='-', sep='+')", "print_call", "", C.FUNCTIONS, S, ("`sep=`",), ()),
    Example("keyword_argument_without_value", "SyntaxError", "expected argument value expression", "print('a', end=)", "print_call", "", C.FUNCTIONS, S, ("nothing after its `=`",), ()),
    Example("assignment_in_argument", "SyntaxError", "expression cannot contain assignment, perhaps you meant \"==\"?", "print(a.b=1)", "print_call", "", C.FUNCTIONS, S, ("keyword argument",), ("`==`",)),
    Example("generator_argument_unparenthesized", "SyntaxError", "Generator expression must be parenthesized", "total = sum(x for x in xs, 0)", "", "", C.GENERATORS, S, ("generator expression",), ()),
    Example("import_trailing_comma", "SyntaxError", "trailing comma not allowed without surrounding parentheses", "from math import sin,", "import", "", C.IMPORTS, S, ("ends with a comma",), ()),
    Example("exception_types_unparenthesized", "SyntaxError", "multiple exception types must be parenthesized", "except ValueError, TypeError:", "", "", C.EXCEPTIONS, S, ("Python 2",), ("except (ValueError, TypeError):",)),
    Example("bare_except_not_last", "SyntaxError", "default 'except:' must be last", "except:", "", "", C.EXCEPTIONS, S, ("must come last",), ()),
    Example("dict_key_without_value", "SyntaxError", "':' expected after dictionary key", "ages = {'ann': 31, 'bob'}", "", "", C.DICTIONARIES, S, ("without its value",), ()),
    Example("augmented_assignment_target", "SyntaxError", "'tuple' is an illegal expression for augmented assignment", "a, b += 1, 2", "", "", C.VARIABLES, S, ("tuple on the left",), ()),
    Example("delete_of_value", "SyntaxError", "cannot delete literal", "del 3", "", "", C.VARIABLES, S, ("literal is a value",), ()),
    Example("yield_outside_function", "SyntaxError", "'yield' outside function", "yield 3", "yield", "", C.FUNCTIONS, S, ("`yield` only works",), ()),
    Example("global_statement_misplaced", "SyntaxError", "name 'x' is parameter and global", "    global x", "global", "function_def", C.SCOPE, S, ("`global`",), ()),
    Example("assertion_on_a_call", "AssertionError", "", "assert add(2, 2) == 4", "comparison", "function_def", C.FUNCTIONS, L, ("result of `add`",), ("Print what `add` returns",), code="def add(a, b): return a - b\nassert add(2, 2) == 4\n"),
    Example("in_place_result_stored", "TypeError", "'NoneType' object is not subscriptable", "print(nums[0])", "indexing print_call", "", C.LISTS, X, ("`.sort()` changes the list in place",), ("sorted(...)",), code="nums = [3, 1, 2]\nprint(nums[0])\nnums = nums.sort()\n"),
    Example("list_method_on_number", "AttributeError", "'int' object has no attribute 'append'", "total.append(3)", "", "", C.LISTS, X, ("a single number",), ("`total = []`",)),
    Example("complex_number_operation", "TypeError", "unsupported operand type(s) for %: 'complex' and 'int'", "print(3 + 3j % 2)", "print_call", "", C.NUMBERS, L, ("complex numbers have no order and no remainder",), ("`abs(z)`",)),
    Example("operation_unsupported_for_types", "TypeError", "unsupported operand type(s) for -: 'list' and 'list'", "print(xs - [1])", "print_call", "", C.LISTS, L, ("`-` has no meaning between a `list` and a `list`",), ()),
    Example("dict_loop_without_items", "ValueError", "too many values to unpack (expected 2)", "for name, age in ages:", "for_loop", "", C.DICTIONARIES, X, ("gives its keys",), ("`for key, value in ages.items():`",), code="ages = {'ann': 31, 'bob': 42}\nfor name, age in ages:\n    print(name, age)\n"),
    Example("assigned_in_one_branch", "UnboundLocalError", "cannot access local variable 'result' where it is not associated with a value", "    return result", "return", "function_def conditional", C.CONDITIONALS, L, ("only inside an `if`",), ("starting value before the `if`",), code="def sign(x):\n    return result\n    if x > 0:\n        result = 1\n"),
    Example("global_not_declared", "UnboundLocalError", "cannot access local variable 'count' where it is not associated with a value", "def tick(): count += 1", "augmented_assignment", "function_def", C.SCOPE, X, ("new local name",), ("parameter",), code="count = 0\ndef tick(): count += 1\ntick()\n"),
    Example("method_without_self_prefix", "NameError", "name 'add_toy' is not defined", "        add_toy(self, 'ball')", "", "class_def", C.CLASSES, X, ("`self.add_toy`",), ("`self.add_toy(...)`",), code="class Box:\n    def fill(self):\n        add_toy(self, 'ball')\n    def add_toy(self, toy):\n        pass\n"),
    Example("used_before_defined", "NameError", "name 'greet' is not defined", "greet('Ann')", "", "function_def", C.FUNCTIONS, L, ("defined on line 3",), ("above line 2",), code="# greeting\ngreet('Ann')\ndef greet(name):\n    print('Hi', name)\n"),
    Example("local_of_another_function", "NameError", "name 'total' is not defined", "print(total)", "print_call", "function_def", C.SCOPE, X, ("inside `add`",), ("`return total`",), code="def add(a, b): total = a + b\nprint(total)\n"),
    Example("comprehension_variable_outside", "NameError", "name 'x' is not defined", "print(x)", "print_call", "list_comprehension", C.LIST_COMPREHENSION, X, ("only inside the brackets",), (), code="squares = [x * x for x in range(3)]\nprint(x)\n"),
    Example("import_of_a_member", "ModuleNotFoundError", "No module named 'math.sqrt'; 'math' is not a package", "import math.sqrt", "import", "", C.IMPORTS, L, ("`math.sqrt` names something inside",), ("`from math import sqrt`",)),
    Example("ran_out_of_time", None, "", None, status=ExecutionStatus.TIMEOUT, meaning=("never finishes",), next_step=("`break`",)),
    Example("ran_out_of_memory", "MemoryError", "", "    data.append(x * 1000)", status=ExecutionStatus.MEMORY_EXCEEDED, meaning=("Line 2 was running",), next_step=("has a way to end",)),
    Example("printed_without_end", None, "", None, status=ExecutionStatus.OUTPUT_EXCEEDED, meaning=("prints without end",), next_step=("condition can become false",)),
    # Wrong answers: the run ended cleanly, a check of its exercise failed.
    Example("hidden_check_failed", None, "", None, concept=None, struggle_type=L, meaning=('"an empty list"', "kept from you"), next_step=("empty list",), status=ExecutionStatus.OK, answer=Answer("an empty list", hidden=True, call="sum_evens")),
    Example("check_call_failed", None, "", None, concept=C.FUNCTIONS, struggle_type=L, meaning=('"sum_evens([1, 2, 3, 4])"', "`6`"), next_step=("`sum_evens`",), status=ExecutionStatus.OK, answer=Answer("sum_evens([1, 2, 3, 4])", False, "6", None, "TypeError: unsupported operand", "sum_evens")),
    Example("printed_instead_of_returned", None, "", None, concept=C.FUNCTIONS, struggle_type=L, meaning=("`6`", "prints its result"), next_step=("`return`",), status=ExecutionStatus.OK, code="def sum_evens(numbers):\n    print(sum(n for n in numbers if n % 2 == 0))\n", answer=Answer("sum_evens([1, 2, 3, 4])", False, "6", "null", None, "sum_evens")),
    Example("nothing_returned", None, "", None, concept=C.FUNCTIONS, struggle_type=L, meaning=("`6`", "returns None"), next_step=("every path",), status=ExecutionStatus.OK, code="def sum_evens(numbers):\n    total = sum(numbers)\n", answer=Answer("sum_evens([1, 2, 3, 4])", False, "6", "null", None, "sum_evens")),
    Example("nothing_printed", None, "", None, concept=None, struggle_type=L, meaning=("printed nothing",), next_step=("`print(...)`",), status=ExecutionStatus.OK, answer=Answer("prints the total", False, '"30\\n"', '""')),
    Example("answer_of_another_type", None, "", None, concept=None, struggle_type=L, meaning=("a number", "text"), next_step=("`int(...)`",), status=ExecutionStatus.OK, answer=Answer("total_of('1 2 3')", False, "6", '"6"', None, "total_of")),
    Example("case_or_spacing", None, "", None, concept=C.STRINGS, struggle_type=L, meaning=("capitals",), next_step=("character by character",), status=ExecutionStatus.OK, answer=Answer("shout('hi')", False, '"HI!"', '"hi!"', None, "shout")),
    Example("one_item_short", None, "", None, concept=None, struggle_type=L, meaning=("`0`", "is missing"), next_step=("`range(a, b)`",), status=ExecutionStatus.OK, answer=Answer("prints the squares", False, '"[0, 1, 4]\\n"', '"[1, 4]\\n"')),
    Example("one_item_extra", None, "", None, concept=None, struggle_type=L, meaning=("`3`", "one item too many"), next_step=("`3`",), status=ExecutionStatus.OK, answer=Answer("evens([1, 2, 3, 4])", False, "[2, 4]", "[2, 3, 4]", None, "evens")),
    Example("order_of_operations", None, "", None, concept=C.NUMBERS, struggle_type=L, meaning=("`a + b / 2`", "divides"), next_step=("parentheses",), status=ExecutionStatus.OK, code="def mean(a, b):\n    return a + b / 2\n", answer=Answer("mean(2, 4)", False, "3", "4.0", None, "mean")),
    Example("off_by_one", None, "", None, concept=None, struggle_type=L, meaning=("off by -1", "`<=`"), next_step=("first and last steps",), status=ExecutionStatus.OK, answer=Answer("count_up(5)", False, "5", "4", None, "count_up")),
    Example("items_in_another_order", None, "", None, concept=None, struggle_type=L, meaning=("another order",), next_step=("order asked for",), status=ExecutionStatus.OK, answer=Answer("swap(1, 2)", False, "[2, 1]", "[1, 2]", None, "swap")),
    Example("wrong_answer", None, "", None, concept=None, struggle_type=L, meaning=('"sum_evens([1, 2, 3, 4])"', "`6`", "`10`"), next_step=("by hand",), status=ExecutionStatus.OK, answer=Answer("sum_evens([1, 2, 3, 4])", False, "6", "10", None, "sum_evens")),
]
# fmt: on
