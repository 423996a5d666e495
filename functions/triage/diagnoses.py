"""The diagnosis table: every error triage can name, what it means, and what it needs.

One row per mistake, with a stable id that travels on ``struggle.detected``
(``evidence.diagnosis``), together with the facts the row found
(``evidence.facts``); the concepts function explains each id from its own template.
How a row is read is ``diagnosis``; the facts are ``facts``.

Patterns are Python's messages as CPython 3.11-3.13 print them (taken from runs in the
sandbox). The exception class alone says little: a TypeError may be about strings,
tuples, ``self`` or a missing conversion. Its message usually names the real culprit
(``'str' object has no attribute 'append'`` is about strings), and where it does not,
the failing line often does (``"x" % 2`` versus ``n % 2``). Kohn (SIGCSE 2019) calls
this the error behind the message; this table is the part of it a message and one
line can show. A row whose concept is None names the mistake but not the concept:
triage then falls back on the exception type and the constructs
(``concept_resolution``).

To add a diagnosis: add a row here, before any more general row for the same
message, a template of the same id in the concepts function's
``knowledge/_diagnoses.yaml``, and an example in ``tests/support/diagnoses.py`` (the
README's triage section walks through one). A row matches on the exception type or
the run status; a diagnosis that reads more than the message and the line (the
program's names, a graded check) adds what it reads to ``Clues`` and its row here.
"""

from __future__ import annotations

from collections.abc import Iterable

from learnflow.events import (
    Concept,
    ExecutionError,
    ExecutionStatus,
    Fact,
    StruggleType,
    known_constructs,
)

from . import pick
from .clues import (
    Clues,
    comprehension_concept,
    missing_comma_concept,
    opened_by,
    statement_concept,
    unclosed_concept,
)
from .diagnosis import Diagnosis, Row, first_diagnosis, row

SYNTAX_ERRORS = frozenset({"SyntaxError", "IndentationError", "TabError"})
SYNTAX = StruggleType.SYNTAX_ERROR
LOGIC = StruggleType.LOGIC_ERROR
CONFUSION = StruggleType.CONCEPT_CONFUSION

_NAME = r"^name '(?P<name>\w+)' is not defined"

DIAGNOSES: tuple[Row, ...] = (
    # --- code that does not parse -------------------------------------------------------------
    row(
        "missing_colon",
        "SyntaxError",
        r"^expected ':'$",
        lambda f: statement_concept(f.clues.line_text),
        SYNTAX,
        needs="keyword with_colon",
    ),
    row("unterminated_string", "SyntaxError", r"^unterminated (f-)?string literal", Concept.STRINGS, SYNTAX, needs="quote"),
    row("unterminated_triple_quote", "SyntaxError", r"^unterminated triple-quoted (f-)?string literal", Concept.STRINGS, SYNTAX),
    row("typographic_quote", "SyntaxError", r"^invalid character '(?P<char>.)'", Concept.STRINGS, SYNTAX, needs="straight"),
    row("f_string", "SyntaxError", r"^f-string", Concept.STRING_FORMATTING, SYNTAX),
    row(
        "assignment_in_condition",
        "SyntaxError",
        r"Maybe you meant '==' or ':=' instead of '='",
        Concept.CONDITIONALS,
        SYNTAX,
        needs="compared",
    ),
    row("equals_in_condition", "SyntaxError", r"^invalid syntax$", Concept.CONDITIONALS, SYNTAX, needs="compared"),
    row(
        "assignment_to_value",
        "SyntaxError",
        r"^cannot assign to (?P<what>[\w ]+?)(?: here|$)",
        lambda f: Concept.CONDITIONALS if pick.assigned_in_condition(f) else Concept.VARIABLES,
        SYNTAX,
    ),
    row("missing_comma", "SyntaxError", r"Perhaps you forgot a comma", lambda f: missing_comma_concept(f.clues), SYNTAX),
    row(
        "bracket_never_closed",
        "SyntaxError",
        r"^'(?P<bracket>[(\[{])' was never closed",
        lambda f: unclosed_concept(f[Fact.BRACKET], f.clues),
        SYNTAX,
    ),
    row("bracket_never_opened", "SyntaxError", r"^unmatched '(?P<bracket>[)\]}])'", Concept.PYTHON_BASICS, SYNTAX),
    row(
        "brackets_mismatched",
        "SyntaxError",
        r"^closing parenthesis '(?P<closing>.)' does not match opening parenthesis '(?P<bracket>[(\[{])'",
        lambda f: opened_by(f[Fact.BRACKET], f.clues.line_text[: f.clues.line_text.rfind(f[Fact.BRACKET])]),
        SYNTAX,
    ),
    row(
        "comprehension_target",
        "SyntaxError",
        r"parentheses around the comprehension target",
        lambda f: comprehension_concept(f.clues) or Concept.LIST_COMPREHENSION,
        SYNTAX,
    ),
    row(
        "print_statement",
        "SyntaxError",
        r"^Missing parentheses in call to 'print'",
        Concept.PYTHON_BASICS,
        SYNTAX,
        needs="print_call",
    ),
    row("def_without_parentheses", "SyntaxError", r"^expected '\('$", Concept.FUNCTIONS, SYNTAX, needs="def_fixed"),
    row("return_outside_function", "SyntaxError", r"^'return' outside function", Concept.FUNCTIONS, SYNTAX),
    row(
        "break_outside_loop",
        "SyntaxError",
        r"^'(?P<word>break|continue)' (?:outside|not properly in) loop",
        pick.loop_kind,
        SYNTAX,
    ),
    row("name_starts_with_digit", "SyntaxError", r"^invalid decimal literal", Concept.VARIABLES, SYNTAX),
    row("leading_zero", "SyntaxError", r"^leading zeros in decimal integer literals", Concept.NUMBERS, SYNTAX),
    row("positional_after_keyword", "SyntaxError", r"^positional argument follows keyword argument", Concept.FUNCTIONS, SYNTAX),
    row(
        "parameter_order",
        "SyntaxError",
        r"^(non-default argument follows default argument|parameter without a default follows)",
        Concept.FUNCTIONS,
        SYNTAX,
    ),
    row("try_without_except", "SyntaxError", r"^expected 'except' or 'finally' block", Concept.EXCEPTIONS, SYNTAX),
    row("import_from_order", "SyntaxError", r"^Did you mean to use 'from \.\.\. import \.\.\.' instead", Concept.IMPORTS, SYNTAX),
    row(
        "if_expression_without_else",
        "SyntaxError",
        r"^expected 'else' after 'if' expression",
        lambda f: comprehension_concept(f.clues) or Concept.CONDITIONALS,
        SYNTAX,
    ),
    row(
        "comparison_with_equals",
        "SyntaxError",
        r"^invalid syntax$",
        Concept.CONDITIONALS,
        SYNTAX,
        when=lambda f: pick.CONDITION_WITH_ASSIGNMENT.search(f.clues.line_text) is not None,
    ),
    row("keyword_as_name", "SyntaxError", r"^invalid syntax$", Concept.VARIABLES, SYNTAX, needs="keyword_name"),
    row(
        "increment_operator",
        "SyntaxError",
        r"^invalid syntax$",
        Concept.VARIABLES,
        SYNTAX,
        when=lambda f: pick.INCREMENT.search(f.clues.line_text) is not None,
    ),
    row(
        "indented_block_expected",
        "IndentationError",
        r"^expected an indented block after (?P<what>.+?) on line (?P<opener>\d+)",
        Concept.INDENTATION,
        SYNTAX,
    ),
    row("unexpected_indent", "IndentationError", r"^unexpected indent", Concept.INDENTATION, SYNTAX),
    row("unindent_mismatch", "IndentationError", r"^unindent does not match", Concept.INDENTATION, SYNTAX),
    row("tabs_and_spaces", "TabError", r"tabs and spaces", Concept.INDENTATION, SYNTAX),
    row("indentation_other", "IndentationError TabError", r".", Concept.INDENTATION, SYNTAX),
    row("unreadable_line", "SyntaxError", r".", None, SYNTAX),
    # --- positions and keys -------------------------------------------------------------------
    row(
        "list_assignment_out_of_range",
        "IndexError",
        r"^list assignment index out of range",
        Concept.LISTS,
        CONFUSION,
        needs="seq subscript",
    ),
    row("pop_from_empty_list", "IndexError", r"^pop from empty list", Concept.LISTS, LOGIC),
    row(
        "format_placeholder_out_of_range", "IndexError", r"^Replacement index \d+ out of range", Concept.STRING_FORMATTING, LOGIC
    ),
    row(
        "pop_index_out_of_range", "IndexError", r"^pop index out of range", Concept.LISTS, LOGIC, needs="popped pop_owner pop_arg"
    ),
    row("index_one_past_end", "IndexError", r"(?P<container>\w+) index out of range", None, needs="one_past seq"),
    row(
        "index_literal_out_of_range",
        "IndexError",
        r"(?P<container>\w+) index out of range",
        None,
        needs="literal_index seq subscript",
    ),
    row("index_out_of_range", "IndexError", r"(?P<container>\w+) index out of range", None, needs="index seq subscript"),
    row("format_key_missing", "KeyError", r"^(?P<key>.+)$", Concept.STRING_FORMATTING, LOGIC, needs="format_call key_plain"),
    row("popitem_from_empty", "KeyError", r"^'popitem\(\): dictionary is empty'", None),
    row("pop_missing_key", "KeyError", r"^(?P<key>.+)$", None, needs="popped pop_owner pop_arg"),
    row("set_remove_missing", "KeyError", r"^(?P<key>.+)$", Concept.SETS, LOGIC, needs="removed remove_owner remove_arg"),
    row("counting_without_start", "KeyError", r"^(?P<key>.+)$", None, needs="counted seq index"),
    row("key_missing", "KeyError", r"^(?P<key>.+)$", None, needs="subscript seq index"),
    row("division_by_literal_zero", "ZeroDivisionError", r".", None, needs="zero"),
    row("division_by_zero", "ZeroDivisionError", r".", None, needs="divisor"),
    row("overflow", "OverflowError", r".", None),
    row("assertion_failed", "AssertionError", r"", None),
    # --- methods and attributes ---------------------------------------------------------------
    row(
        "none_has_no_attribute",
        "AttributeError",
        r"^'(?P<type>NoneType)' object has no attribute '(?P<attr>\w+)'",
        pick.attribute_concept,
        CONFUSION,
        needs="receiver",
    ),
    row(
        "module_attribute_near_miss",
        "AttributeError",
        r"^module '(?P<module>[\w.]+)' has no attribute '(?P<attr>\w+)'",
        Concept.IMPORTS,
        LOGIC,
        needs="suggestion",
    ),
    row(
        "module_attribute_missing",
        "AttributeError",
        r"^module '(?P<module>[\w.]+)' has no attribute '(?P<attr>\w+)'",
        Concept.IMPORTS,
        LOGIC,
    ),
    row(
        "attribute_near_miss",
        "AttributeError",
        r"^'(?P<type>\w+)' object has no attribute '(?P<attr>\w+)'",
        pick.attribute_concept,
        pick.attribute_struggle,
        needs="receiver suggestion",
    ),
    row(
        "list_method_on_string",
        "AttributeError",
        r"^'(?P<type>str)' object has no attribute '(?P<attr>append|extend|insert|remove|sort)'",
        Concept.STRINGS,
        CONFUSION,
        needs="receiver",
    ),
    row(
        "class_attribute_missing",
        "AttributeError",
        r"^type object '(?P<cls>\w+)' has no attribute '(?P<attr>\w+)'",
        Concept.CLASSES,
        CONFUSION,
    ),
    row(
        "attribute_of_other_type",
        "AttributeError",
        r"^'(?P<type>\w+)' object has no attribute '(?P<attr>\w+)'",
        pick.attribute_concept,
        pick.attribute_struggle,
        needs="receiver",
    ),
    row(
        "attribute_missing",
        "AttributeError",
        r"^'(?P<type>\w+)' object has no attribute '(?P<attr>\w+)'",
        pick.attribute_concept,
        pick.attribute_struggle,
    ),
    # --- operations on the wrong type ---------------------------------------------------------
    row(
        "text_plus_number",
        "TypeError",
        r'^can only concatenate str \(not "(?P<other>\w+)"\) to str',
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    row("list_plus_item", "TypeError", r'^can only concatenate list \(not "(?P<other>\w+)"\) to list', Concept.LISTS, CONFUSION),
    row(
        "tuple_plus_item",
        "TypeError",
        r'^can only concatenate tuple \(not "(?P<other>\w+)"\) to tuple',
        Concept.TUPLES,
        CONFUSION,
    ),
    row(
        "text_arithmetic",
        "TypeError",
        r"^unsupported operand type\(s\) for (?P<op>[-/*%]+): 'str' and 'str'",
        Concept.STRINGS,
        CONFUSION,
    ),
    row(
        "none_value",
        "TypeError",
        r"'NoneType'",
        lambda f: Concept.TYPE_CONVERSION if pick.converted_none(f) else Concept.FUNCTIONS,
        lambda f: LOGIC if pick.converted_none(f) else CONFUSION,
    ),
    row(
        "text_and_number_mixed",
        "TypeError",
        r"^(?:unsupported operand type\(s\) for \S+|'\S+' not supported between instances of) "
        r"'(?P<left>str|int|float)' and '(?P<right>str|int|float)'",
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    row("number_not_iterable", "TypeError", r"^'(?P<type>int|float)' object is not iterable", Concept.FOR_LOOPS, CONFUSION),
    row("not_iterable", "TypeError", r"^'(?P<type>\w+)' object is not iterable", pick.type_concept, CONFUSION),
    row(
        "number_not_subscriptable",
        "TypeError",
        r"^'(?P<type>int|float)' object is not subscriptable",
        Concept.TYPE_CONVERSION,
        CONFUSION,
    ),
    row(
        "immutable_item_assignment",
        "TypeError",
        r"^'(?P<type>tuple|str)' object does not support item assignment",
        pick.type_concept,
        CONFUSION,
        needs="subscript",
    ),
    row(
        "item_assignment_unsupported",
        "TypeError",
        r"^'(?P<type>\w+)' object does not support item assignment",
        pick.type_concept,
        CONFUSION,
    ),
    row(
        "no_positions",
        "TypeError",
        r"^'(?P<type>set|dict_keys|dict_values|dict_items|generator|map|filter|zip)' object is not subscriptable",
        pick.type_concept,
        CONFUSION,
        needs="seq subscript index",
    ),
    row("not_subscriptable", "TypeError", r"^'(?P<type>\w+)' object is not subscriptable", pick.type_concept, CONFUSION),
    row(
        "no_len",
        "TypeError",
        r"^object of type '(?P<type>generator|map|filter|zip)' has no len\(\)",
        Concept.GENERATORS,
        CONFUSION,
    ),
    row(
        "number_has_no_len",
        "TypeError",
        r"^object of type '(?P<type>int|float)' has no len\(\)",
        Concept.TYPE_CONVERSION,
        CONFUSION,
    ),
    row("has_no_len", "TypeError", r"^object of type '(?P<type>\w+)' has no len\(\)", pick.type_concept, CONFUSION),
    row(
        "unpack_single_value",
        "TypeError",
        r"^cannot unpack non-iterable (?P<type>\w+) object",
        lambda f: Concept.FUNCTIONS if f[Fact.TYPE] == "NoneType" else Concept.TUPLES,
        CONFUSION,
    ),
    row(
        "float_index",
        "TypeError",
        r"indices must be integers( or slices)?, not '?float",
        Concept.NUMBERS,
        LOGIC,
        needs="seq subscript",
    ),
    row(
        "text_index",
        "TypeError",
        r"indices must be integers( or slices)?, not '?str",
        lambda f: Concept.FOR_LOOPS if pick.item_as_index(f) else Concept.TYPE_CONVERSION,
        lambda f: CONFUSION if pick.item_as_index(f) else LOGIC,
        needs="index seq subscript",
    ),
    row("float_as_count", "TypeError", r"^'float' object cannot be interpreted as an integer", Concept.NUMBERS, LOGIC),
    row("text_as_count", "TypeError", r"^'str' object cannot be interpreted as an integer", Concept.TYPE_CONVERSION, LOGIC),
    row(
        "multiply_by_non_int",
        "TypeError",
        r"^can't multiply sequence by non-int of type '(?P<type>\w+)'",
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    row(
        "join_non_strings", "TypeError", r"^sequence item \d+: expected str instance, (?P<type>\w+) found", Concept.STRINGS, LOGIC
    ),
    row("format_arguments_missing", "TypeError", r"^not enough arguments for format string", Concept.STRING_FORMATTING, LOGIC),
    row(
        "percent_format_type",
        "TypeError",
        r"^%(?P<code>\w) format: an? (?P<wanted>[\w ]+?) is required, not (?P<type>\w+)",
        Concept.STRING_FORMATTING,
        LOGIC,
    ),
    row(
        "conversion_of_wrong_type",
        "TypeError",
        r"^((?:int|float)\(\) argument must be|type (?P<type>\w+) doesn't define __round__)",
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    row("raise_non_exception", "TypeError", r"^exceptions must derive from BaseException", Concept.EXCEPTIONS, CONFUSION),
    # --- calls with the wrong arguments -------------------------------------------------------
    row("lambda_arguments", "TypeError", r"^<lambda>\(\)", Concept.LAMBDA_FUNCTIONS, CONFUSION),
    row(
        "method_argument_count",
        "TypeError",
        r"^(?P<method>\w+\.\w+)\(\) takes (?:exactly|at least) (?P<count>\w+) argument",
        pick.method_owner,
        LOGIC,
    ),
    row(
        "method_needs_arguments",
        "TypeError",
        r"^(?P<method>\w+)(?:\(\))? (?:takes at least|expected at least) (?P<count>\d+) argument",
        pick.method_owner,
        LOGIC,
    ),
    row(
        "call_argument_count",
        "TypeError",
        r"^(?P<method>\w+)(?:\(\))? (?:takes exactly|expected) (?P<count>\w+) arguments?",
        pick.method_owner,
        LOGIC,
    ),
    row(
        "method_without_self",
        "TypeError",
        r"^(?P<method>\w+\.(?!__init__)\w+)\(\) takes \d+ positional arguments? but \d+ (?:was|were) given",
        lambda f: Concept.CLASSES if pick.defines_a_class(f) else Concept.FUNCTIONS,
        lambda f: CONFUSION if pick.defines_a_class(f) else LOGIC,
    ),
    row(
        "method_on_class",
        "TypeError",
        r"^(?P<method>\w+\.\w+)\(\) missing 1 required positional argument: 'self'",
        Concept.CLASSES,
        CONFUSION,
    ),
    row("class_without_init", "TypeError", r"^(?P<cls>\w+)\(\) takes no arguments", Concept.CLASSES, CONFUSION),
    row(
        "call_arguments",
        "TypeError",
        r"^(?P<func>[\w.<>]+)\(\) (?:missing \d+ required|takes \d+ positional|got an unexpected keyword)",
        lambda f: Concept.CLASSES if pick.about_self_or_init(f) else Concept.FUNCTIONS,
        lambda f: CONFUSION if "'self'" in f.message else LOGIC,
    ),
    row(
        "percent_on_text",
        "TypeError",
        r"^not all arguments converted during string formatting",
        lambda f: Concept.STRING_FORMATTING if pick.string_formatting_line(f) else Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    row("unhashable_key", "TypeError", r"^unhashable type: '(?P<type>\w+)'", pick.unhashable, CONFUSION),
    row(
        "not_callable",
        "TypeError",
        r"^'(?P<type>\w+)' object is not callable",
        pick.not_callable,
        lambda f: LOGIC if pick.literal_called(f) else CONFUSION,
    ),
    # --- values that do not fit ---------------------------------------------------------------
    row(
        "int_of_non_number",
        "ValueError",
        r"^invalid literal for int\(\) with base \d+: (?P<value>.*)$",
        Concept.TYPE_CONVERSION,
        LOGIC,
    ),
    row(
        "float_of_non_number", "ValueError", r"^could not convert string to float: (?P<value>.*)$", Concept.TYPE_CONVERSION, LOGIC
    ),
    row("math_domain", "ValueError", r"^(math domain error|\w+\(\) not defined for negative values)", Concept.NUMBERS, LOGIC),
    row("pow_modulus_zero", "ValueError", r"^pow\(\) 3rd argument cannot be 0", Concept.NUMBERS, LOGIC),
    row("item_not_in_list", "ValueError", r"(x not in list|.+ is not in list)$", Concept.LISTS, LOGIC),
    row("substring_not_found", "ValueError", r"^substring not found", Concept.STRINGS, LOGIC),
    row("empty_separator", "ValueError", r"^empty separator", Concept.STRINGS, LOGIC),
    row(
        "max_of_empty",
        "ValueError",
        r"^(?P<func>max|min)\(\) (?:arg is an empty sequence|iterable argument is empty)",
        Concept.LISTS,
        LOGIC,
    ),
    row("range_step_zero", "ValueError", r"^range\(\) arg 3 must not be zero", Concept.FOR_LOOPS, LOGIC),
    row(
        "format_code_mismatch",
        "ValueError",
        r"^Unknown format code '(?P<code>\w)' for object of type '(?P<type>\w+)'",
        Concept.STRING_FORMATTING,
        LOGIC,
    ),
    row("closed_file", "ValueError", r"^I/O operation on closed file", Concept.CONTEXT_MANAGERS, CONFUSION),
    row(
        "unpack_count",
        "ValueError",
        r"^(?:too many|not enough) values to unpack \(expected (?P<expected>\d+)",
        Concept.TUPLES,
        LOGIC,
    ),
    # --- names ------------------------------------------------------------------------------------
    row("recursion_without_base", "RecursionError", r".", None),
    row("unbound_local", "UnboundLocalError", r"variable '(?P<name>\w+)'", None),
    row(
        "self_attribute_without_self", "NameError", _NAME + r"\. Did you mean: 'self\.(?P<attr>\w+)'", Concept.CLASSES, CONFUSION
    ),
    row("module_not_imported", "NameError", _NAME, Concept.IMPORTS, LOGIC, needs="module_name"),
    row("module_member_without_module", "NameError", _NAME, Concept.IMPORTS, LOGIC, needs="member_of"),
    row("boolean_lowercase", "NameError", _NAME, Concept.CONDITIONALS, LOGIC, needs="capital"),
    row("text_without_quotes", "NameError", _NAME, Concept.STRINGS, LOGIC, needs="text_like"),
    row("undefined_function", "NameError", _NAME, pick.called_name, LOGIC, needs="called"),
    row("undefined_name_near_miss", "NameError", _NAME, Concept.VARIABLES, LOGIC, needs="suggestion"),
    row("undefined_name", "NameError", _NAME, pick.name_lives_elsewhere, pick.confused_unless_a_value),
    # --- the rest ---------------------------------------------------------------------------------
    row("exhausted_iterator", "StopIteration", r"", None),
    row("file_not_found", "FileNotFoundError", r"", None),
    row("module_not_found", "ModuleNotFoundError", r"^No module named '(?P<module>[\w.]+)'", None),
    row("import_name_missing", "ImportError", r"^cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)'", None),
    # --- runs stopped by a limit before they raised ---------------------------------------------
    row("ran_out_of_time", "timeout", r"", None),
    row("ran_out_of_memory", "memory_exceeded", r"", None),
    row("printed_without_end", "output_exceeded", r"", None),
    # --- anything else: still about the line ----------------------------------------------------
    row("unrecognised", "", r"", None),
)


RUNAWAY_STATUSES = frozenset({ExecutionStatus.TIMEOUT, ExecutionStatus.MEMORY_EXCEEDED, ExecutionStatus.OUTPUT_EXCEEDED})


def diagnose(status: ExecutionStatus, error: ExecutionError | None, program_constructs: Iterable[str]) -> Diagnosis:
    """The diagnosis of one run that did not end cleanly, from its status and its error."""
    if error is None or (status in RUNAWAY_STATUSES and error.type == "MemoryError"):
        # Stopped by a limit (a MemoryError is the memory limit speaking): the status says it.
        clues = Clues(error.line_text or "" if error else "", program_constructs=known_constructs(program_constructs))
        return first_diagnosis(DIAGNOSES, status.value, "", clues)
    clues = Clues(error.line_text or "", known_constructs(error.constructs), known_constructs(program_constructs))
    return first_diagnosis(DIAGNOSES, error.type, error.message, clues)
