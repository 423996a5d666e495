"""Grading through the real sandbox: right answers pass, wrong ones fail, fakes fail.

Every exercise of the default catalogue is run with its reference solution and its
typical wrong ones (tests/data/exercises/solutions.yaml). Then programs that try to
make a check pass without computing the answer: each one fails.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from functions._exercises import DEFAULT_CATALOGUE
from functions.code_execution.limits import Limits
from functions.code_execution.sandbox import Sandbox
from functions.code_execution.service import CodeExecution
from learnflow.events import CodeSubmitted, ExecutionResult, ExecutionStatus, Grade, load_catalogue, new_event

ROOT = Path(__file__).resolve().parents[3]
SOLUTIONS = yaml.safe_load((ROOT / "tests" / "data" / "exercises" / "solutions.yaml").read_text(encoding="utf-8"))
CATALOGUE = load_catalogue(DEFAULT_CATALOGUE)
LIMITS = Limits(cpu_seconds=2, wall_seconds=4.0)
SUM_EVENS = uuid.UUID("6f1c2a4e-0b7d-4c51-9a3e-2d8f4b6c1a90")  # visible: [1,2,3,4] -> 6; hidden: [] -> 0
LARGEST = uuid.UUID("95a6b7c8-d2e3-44f5-8607-08090a0b0c09")  # visible: 9 and 8; hidden: [-5, -2, -9] -> -2


@pytest.fixture(scope="module")
def service() -> Iterator[CodeExecution]:
    with Sandbox(LIMITS, size=2) as sandbox:
        yield CodeExecution(sandbox, LIMITS, CATALOGUE)


def run(service: CodeExecution, exercise_id: uuid.UUID, code: str) -> ExecutionResult:
    data = {"exerciseId": str(exercise_id), "code": code, "language": "python"}
    return service.execute(new_event(CodeSubmitted, user_id=uuid.uuid4(), data=data))


def graded(result: ExecutionResult) -> Grade:
    assert result.grade is not None, result
    return result.grade


@pytest.mark.parametrize("entry", SOLUTIONS, ids=[e["exercise"][:8] for e in SOLUTIONS])
def test_the_reference_passes_and_every_typical_wrong_answer_fails(service: CodeExecution, entry: dict) -> None:
    exercise_id = uuid.UUID(entry["exercise"])
    right = graded(run(service, exercise_id, entry["right"]))
    assert right.passed, right
    for wrong in entry["wrong"]:
        grade = graded(run(service, exercise_id, wrong))
        assert not grade.passed, (wrong, grade)


def test_an_unknown_exercise_is_not_graded(service: CodeExecution) -> None:
    result = run(service, uuid.uuid4(), "print('hello')")
    assert result.grade is None and result.stdout == "hello\n"


def test_a_visible_check_shows_expected_and_got_a_hidden_one_only_its_name(service: CodeExecution) -> None:
    code = "def sum_evens(numbers):\n    return 6 if numbers else 99\n\nprint(30)\n"
    grade = graded(run(service, SUM_EVENS, code))
    stdout, visible, hidden = grade.checks
    assert (stdout.passed, stdout.expected, stdout.got) == (True, json.dumps("30\n"), json.dumps("30\n"))
    assert (visible.passed, visible.expected, visible.got, visible.hidden) == (True, "6", "6", False)
    assert (hidden.passed, hidden.hidden, hidden.expected, hidden.got, hidden.error) == (False, True, None, None, None)
    assert not grade.passed
    wire = json.loads(ExecutionResult.model_validate(run(service, SUM_EVENS, code).to_wire_dict()).to_json_bytes())
    assert wire["grade"]["checks"][2] == {
        "name": "an empty list",
        "passed": False,
        "hidden": True,
        "expected": None,
        "got": None,
        "error": None,
    }


def test_a_call_that_raises_says_why_and_prints_go_nowhere(service: CodeExecution) -> None:
    code = "def sum_evens(numbers):\n    print('thinking...')\n    return numbers[10]\n\nprint(30)\n"
    result = run(service, SUM_EVENS, code)
    visible = graded(result).checks[1]
    assert not visible.passed and visible.got is None
    assert visible.error == "IndexError: list index out of range"
    assert result.stdout == "30\n", "a call's prints are not the program's output"


def test_a_program_that_fails_is_not_called(service: CodeExecution) -> None:
    result = run(service, SUM_EVENS, "def sum_evens(numbers):\n    return 6\n\nraise ValueError('no')\n")
    assert result.status is ExecutionStatus.ERROR
    checks = graded(result).checks
    assert checks[1].error == "not called: the program did not finish (error)"


def test_an_endless_call_stops_at_the_runs_limits(service: CodeExecution) -> None:
    code = "def sum_evens(numbers):\n    while True:\n        pass\n\nprint(30)\n"
    result = run(service, SUM_EVENS, code)
    assert result.status is ExecutionStatus.TIMEOUT
    assert not graded(result).passed


def test_returns_compare_as_json_values(service: CodeExecution) -> None:
    average = uuid.UUID("2e3f4051-6b7c-4d8e-9fa0-b1c2d3e4f502")
    # 15.0 for an expected 15, and a tuple for an expected list, are the same JSON values.
    assert graded(run(service, average, "def average(n):\n    return sum(n) / len(n)\n")).passed
    swap = uuid.UUID("1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e401")
    assert graded(run(service, swap, "def swap(a, b):\n    return (b, a)\n")).passed
    # True is not 1, and a set is no JSON value.
    letter = uuid.UUID("738495a6-b0c1-42d3-a4f5-060708090a07")
    assert not graded(run(service, letter, "def letter(score):\n    return True\n")).passed
    grade = graded(run(service, LARGEST, "def largest(numbers):\n    return {max(numbers)}\n"))
    assert grade.checks[0].error == "ValueError: returned a set, which is not a JSON value"


# -- programs that try to pass without computing the answer ---------------------------

WRONG = "def sum_evens(numbers):\n    return -1\n\nprint(30)\n"

FAKES = {
    "prints fake result lines": WRONG + 'print(\'{"n": "", "i": 0, "v": 6}\')\nprint(\'{"passed": true}\')\n',
    "writes fake records to every descriptor": WRONG
    + "import os\nfor fd in range(3, 64):\n    try:\n"
    + '        os.write(fd, b\'{"n":"","i":0,"v":6}\\n{"n":"","i":1,"v":0}\\n\')\n'
    + "    except OSError:\n        pass\n",
    "replaces json.dumps and json.encoder": WRONG
    + "import json, json.encoder\njson.dumps = lambda *a, **k: '6'\n"
    + "json.encoder.encode_basestring_ascii = lambda s: '6'\njson.encoder.c_encode_basestring_ascii = None\n",
    "replaces print, sys.exit, os._exit and builtins": WRONG
    + "import builtins, os, sys\nbuiltins.print = lambda *a, **k: None\nsys.exit = lambda *a: None\n"
    + "os._exit = lambda *a: None\nbuiltins.type = lambda *a: int\nbuiltins.len = lambda *a: 0\n"
    + "builtins.enumerate = lambda xs: [(0, x) for x in xs]\n",
    "returns an int that says it equals anything": "class Liar(int):\n    def __eq__(self, other):\n        return True\n"
    + "    def __repr__(self):\n        return '6'\n    __hash__ = int.__hash__\n\n"
    + "def sum_evens(numbers):\n    return Liar(-1)\n\nprint(30)\n",
    "exits before the checks run": "import sys\ndef sum_evens(numbers):\n    return 6\n\nprint(30)\nsys.exit(3)\n",
    "kills itself before the checks run": "import os\ndef sum_evens(numbers):\n    return 6\n\nprint(30, flush=True)\nos._exit(0)\n",
    "closes the result channel": WRONG
    + "import os\nfor fd in range(3, 64):\n    try:\n        os.close(fd)\n    except OSError:\n        pass\n",
    "writes the expected value from a thread during the calls": "import os, threading, time\n"
    + 'def spam():\n    for _ in range(200):\n        try:\n            os.write(4, b\'{"n":"x","i":1,"v":0}\\n\')\n'
    + "        except OSError:\n            pass\n        time.sleep(0.001)\n"
    + "threading.Thread(target=spam, daemon=True).start()\n"
    + "def sum_evens(numbers):\n    time.sleep(0.05)\n    return 6\n\nprint(30)\n",
}


@pytest.mark.parametrize("code", FAKES.values(), ids=FAKES.keys())
def test_a_fake_pass_fails(service: CodeExecution, code: str) -> None:
    grade = graded(run(service, SUM_EVENS, code))
    assert not grade.passed, grade
    assert not grade.checks[2].passed, "the hidden check must fail: the program never computed it"


def test_a_forger_that_digs_out_the_nonce_still_needs_the_hidden_answer(service: CodeExecution) -> None:
    # The residual attack (calls.py): read the harness's nonce from its frames, write records,
    # exit before the harness does. It may claim the visible values it was shown (9 and 8);
    # the hidden check's expected value never entered the sandbox, so its guess fails.
    code = (
        "import gc, os, sys\n"
        "harness = sys._getframe(1).f_locals.get('harness')\n"
        "emit = harness._emit\n"
        "nonce = [c.cell_contents for c in emit.__closure__ if isinstance(c.cell_contents, str)][0]\n"
        'lines = \'\'.join(\'{"n":"%s","i":%d,"v":%s}\\n\' % (nonce, i, v) for i, v in enumerate([9, 8, 0]))\n'
        "os.write(4, lines.encode())\n"
        "os._exit(0)\n"
        "def largest(numbers):\n    return 0\n"
    )
    grade = graded(run(service, LARGEST, code))
    assert [c.passed for c in grade.checks] == [True, True, False]
    assert not grade.passed


def test_a_right_answer_still_passes_after_the_program_patches_everything(service: CodeExecution) -> None:
    # The same patches as the fakes above: they change nothing the harness reports.
    right = next(e["right"] for e in SOLUTIONS if uuid.UUID(e["exercise"]) == SUM_EVENS)
    patches = (
        "import builtins, json, json.encoder, os, sys\n"
        "json.dumps = lambda *a, **k: '6'\njson.encoder.encode_basestring_ascii = lambda s: '6'\n"
        "sys.exit = lambda *a: None\nbuiltins.type = lambda *a: int\nbuiltins.len = lambda *a: 0\n"
        "builtins.enumerate = lambda xs: [(0, x) for x in xs]\nbuiltins.str = lambda *a: 'x'\n"
    )
    grade = graded(run(service, SUM_EVENS, right + patches))
    assert grade.passed, grade
