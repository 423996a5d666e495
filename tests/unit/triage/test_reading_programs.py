"""Reading the program never fails a verdict: whatever the code, the line and the message,
triage diagnoses the run and its evidence fits the contract (a property, with hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from functions.triage.diagnoses import diagnose
from functions.triage.evidence import code_evidence
from functions.triage.program import read_program
from learnflow.events import MAX_LINE_TEXT, ExecutionError, ExecutionResult, ExecutionStatus

EXCEPTIONS = st.sampled_from(
    ["SyntaxError", "IndentationError", "NameError", "UnboundLocalError", "TypeError", "AttributeError", "ValueError",
     "ModuleNotFoundError", "AssertionError", "KeyError", "IndexError"]
)  # fmt: skip
PIECES = st.sampled_from(
    ["def", "class", "=", "==", "(", ")", "[", "]", "{", "}", ":", ",", ".", "x", "self", "and", "import", "from",
     "for", "in", "to", "if", "else", "lambda", "return", "3.0i", "2x", "&&", "!", "'", '"', "\\", "\n", "    ", "\t"]
)  # fmt: skip
CODE = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=60).map(" ".join))
MESSAGES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["invalid syntax", "name 'x' is not defined", "expected ':'", "invalid decimal literal"]),
    st.text(min_size=1, max_size=1500).map(lambda m: f"No module named '{m}.{m}'; '{m}' is not a package"),
    st.text(min_size=1, max_size=1500).map(lambda m: f"variable '{m}' referenced"),
)


@settings(max_examples=300, deadline=None)
@given(code=CODE, line=st.integers(min_value=1, max_value=8), exception=EXCEPTIONS, message=MESSAGES)
def test_any_program_line_and_message_give_a_diagnosis_that_fits_the_evidence(
    code: str, line: int, exception: str, message: str
) -> None:
    lines = code.splitlines()
    text = (lines[line - 1] if line <= len(lines) else "")[:MAX_LINE_TEXT]
    error = ExecutionError(type=exception, message=message[:2048], line=line, line_text=text)
    result = ExecutionResult(
        exercise_id="6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90",
        submission_id="6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a91",
        status=ExecutionStatus.ERROR,
        error=error,
        code=code,
    )
    diagnosis = diagnose(result.status, error, [], code)
    code_evidence(result, diagnosis)  # validates against the contract


def test_a_program_that_does_not_parse_is_still_read_by_its_line() -> None:
    program = read_program("def = 2\n", 1, "def = 2")
    assert program.tree is None and program.words == ("def", "=", "2")


def test_the_members_of_the_enclosing_class_are_its_methods_and_self_attributes() -> None:
    code = "class Box:\n    def __init__(self):\n        self.toys = []\n    def fill(self):\n        add(self)\n"
    program = read_program(code, 5, "        add(self)")
    assert program.enclosing_class_members == {"__init__", "fill", "toys"}
    assert program.enclosing_function is not None and program.enclosing_function.name == "fill"


def test_a_fact_too_long_for_the_contract_leaves_the_row_to_the_next() -> None:
    name = "a" * 600
    message = f"No module named '{name}.{name}'; '{name}' is not a package"
    error = ExecutionError(type="ModuleNotFoundError", message=message, line=1, line_text="import x")
    result = ExecutionResult(
        exercise_id="6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90",
        submission_id="6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a91",
        status=ExecutionStatus.ERROR,
        error=error,
        code="import x\n",
    )
    diagnosis = diagnose(result.status, error, [], result.code)
    assert diagnosis.id == "unrecognised"
    code_evidence(result, diagnosis)  # validates
