"""The domain service over a real sandbox (zygotes are real processes, closed at teardown)."""

from __future__ import annotations

import os
import signal
import sys
import uuid
from collections.abc import Iterator

import pytest

from functions.code_execution.layers import BASELINE, Level
from functions.code_execution.limits import Limits
from functions.code_execution.sandbox import Sandbox, SandboxFailure, SandboxUnavailable
from functions.code_execution.service import PRODUCER, CodeExecution
from learnflow.events import CodeExecuted, CodeSubmitted, ExecutionStatus, new_event

LIMITS = Limits(cpu_seconds=1, wall_seconds=3.0, code_bytes=200)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(LIMITS, size=2) as sb:
        yield sb


@pytest.fixture
def service(sandbox: Sandbox) -> CodeExecution:
    return CodeExecution(sandbox, LIMITS)


def submit(code: str, language: str = "python") -> CodeSubmitted:
    return new_event(
        CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": str(uuid.uuid4()), "code": code, "language": language}
    )


def test_hello(service: CodeExecution, sandbox: Sandbox) -> None:
    result = service.execute(submit("print('hello')"))
    assert (result.status, result.exit_code, result.stdout) == (ExecutionStatus.OK, 0, "hello\n")
    assert result.sandbox_layers == list(sandbox.layers)
    assert set(BASELINE) <= set(result.sandbox_layers)
    assert result.constructs == ["print_call"] and result.error is None


def test_syntax_error_at_line_3(service: CodeExecution) -> None:
    result = service.execute(submit("x = 1\ny = 2\nsquares = [x*x for x in range(10)\n"))
    assert result.status is ExecutionStatus.ERROR and result.exit_code == 1
    assert result.error is not None
    assert (result.error.type, result.error.line) == ("SyntaxError", 3)
    assert "list_comprehension" in result.error.constructs
    assert "SyntaxError" in result.stderr


def test_runtime_exception_is_a_result(service: CodeExecution) -> None:
    result = service.execute(submit("def f(d):\n    return d['k']\n\nf({})\n"))
    assert result.status is ExecutionStatus.ERROR
    assert result.error is not None
    assert (result.error.type, result.error.message, result.error.line) == ("KeyError", "'k'", 2)
    assert result.error.constructs == ["indexing", "return"]
    assert 'File "main.py", line 2, in f' in result.stderr


@pytest.mark.parametrize(
    ("code", "error_type", "message"),
    [
        ("nums = [1]\nnums.apend(2)\n", "AttributeError", "'list' object has no attribute 'apend'"),
        ("total = 1\nprint(totl)\n", "NameError", "name 'totl' is not defined"),
        ("class Oops(Exception):\n    pass\n\nraise Oops('bad: input')\n", "Oops", "bad: input"),
        ("it = iter([])\nnext(it)\n", "StopIteration", ""),
    ],
)
def test_the_message_is_the_one_the_learner_reads_under_the_traceback(
    service: CodeExecution, code: str, error_type: str, message: str
) -> None:
    result = service.execute(submit(code))
    assert result.error is not None and result.error.type == error_type
    assert result.error.message.startswith(message)
    assert result.error.line_text == code.splitlines()[(result.error.line or 0) - 1]
    # The same words as the traceback's last line.
    last = result.stderr.rstrip("\n").splitlines()[-1]
    assert last == (f"{error_type}: {result.error.message}" if result.error.message else error_type)
    if error_type in ("AttributeError", "NameError") and sys.version_info >= (3, 12):
        # From 3.12 the traceback module adds CPython's hint; 3.11's came from the C printer.
        assert result.error.message.endswith(("Did you mean: 'append'?", "Did you mean: 'total'?"))


def test_exit_status_and_empty_stdin(service: CodeExecution) -> None:
    assert service.execute(submit("import sys\nsys.exit(4)")).exit_code == 4
    result = service.execute(submit("input()"))
    assert result.error is not None and result.error.type == "EOFError"


def test_each_run_gets_a_fresh_work_dir(service: CodeExecution) -> None:
    first = service.execute(submit("import os\nopen('left', 'w').write('x')\nprint(os.getcwd())"))
    second = service.execute(submit("import os\nprint(os.listdir('.'), os.getcwd())"))
    assert first.status is second.status is ExecutionStatus.OK
    assert second.stdout.startswith("[] ") and first.stdout.strip() not in second.stdout
    assert not os.path.exists(first.stdout.strip())


def test_unsupported_language_and_oversized_code_are_results(service: CodeExecution) -> None:
    js = service.execute(submit("console.log(1)", language="javascript"))
    assert js.status is ExecutionStatus.UNSUPPORTED_LANGUAGE and "javascript" in (js.reason or "")
    big = service.execute(submit("x = 'é'\n" * 40))  # 40 lines of 9 bytes: 360 > 200
    assert big.status is ExecutionStatus.REJECTED and "360 bytes" in (big.reason or "")
    assert big.exit_code is None and big.sandbox_layers == []


def test_follow_up_event_id_is_derived(service: CodeExecution) -> None:
    event = submit("print(1)")
    (out,) = service.run_submission(event)
    assert isinstance(out, CodeExecuted)
    assert out.event_id == uuid.uuid5(event.event_id, PRODUCER)
    assert out.user_id == event.user_id and out.data.submission_id == event.event_id


def test_below_minimum_level_refuses_to_run() -> None:
    with Sandbox(LIMITS, size=1, seccomp=False, landlock=False, min_level=Level.L1) as weak:
        assert weak.level is Level.L0
        with pytest.raises(SandboxUnavailable, match="SANDBOX_MIN_LEVEL=L1"):
            weak.run("print(1)")


def test_a_dead_zygote_fails_one_run_and_is_replaced() -> None:
    with Sandbox(LIMITS, size=1) as sb:
        (pid,) = sb.zygote_pids()
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(SandboxFailure):
            sb.run("print(1)")
        assert sb.run("print(1)").stdout == "1\n"
        assert sb.zygote_pids() != [pid]
