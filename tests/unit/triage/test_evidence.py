"""What a verdict carries of its evidence: the facts of the failing line, never the program or its output."""

from __future__ import annotations

import json
import uuid

from hypothesis import given
from hypothesis import strategies as st

from functions.triage.diagnoses import diagnose
from functions.triage.evidence import SERVER_PATH, activity_evidence, code_evidence
from learnflow.events import (
    MAX_EVIDENCE_MESSAGE,
    ExecutionError,
    ExecutionResult,
    ExecutionStatus,
    Fact,
    HelpRequested,
    new_event,
)

MARKERS = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=12, max_size=20)


@given(out=MARKERS, err=MARKERS, other_line=MARKERS, message=st.text(max_size=2048))
def test_code_evidence_holds_the_failing_line_and_not_the_output(out: str, err: str, other_line: str, message: str) -> None:
    result = ExecutionResult(
        exercise_id=uuid.uuid4(),
        submission_id=uuid.uuid4(),
        status=ExecutionStatus.ERROR,
        exit_code=1,
        stdout=f"{out}\n{other_line}\n",
        stderr=f"Traceback ...\n{err}\n",
        error=ExecutionError(type="ValueError", message=message, line=3, line_text="n = int(answer)", constructs=["assignment"]),
        constructs=["assignment", "print_call"],
    )
    evidence = code_evidence(result, diagnose(result.status, result.error, result.constructs))
    text = json.dumps(evidence.to_wire_dict())
    assert set(evidence.to_wire_dict()) == {
        "sourceEventType",
        "status",
        "exceptionType",
        "message",
        "line",
        "lineText",
        "constructs",
        "diagnosis",
    } | ({"facts"} if evidence.facts else set())
    assert (evidence.line, evidence.line_text, evidence.constructs) == (3, "n = int(answer)", ["assignment"])
    for secret in (out, err, other_line):
        assert secret not in text or secret in message
    assert evidence.message is not None and len(evidence.message) <= MAX_EVIDENCE_MESSAGE
    message = SERVER_PATH.sub("", message)
    assert evidence.message == message if len(message) <= MAX_EVIDENCE_MESSAGE else evidence.message.endswith("…")


def test_the_message_is_kept_without_a_servers_file_path() -> None:
    error = ExecutionError(
        type="ImportError",
        message="cannot import name 'x' from 'math' (/usr/lib/x/math.so)",
        line=1,
        line_text="from math import x",
    )
    result = ExecutionResult(exercise_id=uuid.uuid4(), submission_id=uuid.uuid4(), status=ExecutionStatus.ERROR, error=error)
    evidence = code_evidence(result, diagnose(result.status, error, []))
    assert evidence.message == "cannot import name 'x' from 'math'"
    assert (evidence.diagnosis, evidence.facts) == ("import_name_missing", {Fact.NAME: "x", Fact.MODULE: "math"})


def test_a_run_stopped_by_a_limit_carries_its_status_alone() -> None:
    result = ExecutionResult(
        exercise_id=uuid.uuid4(), submission_id=uuid.uuid4(), status=ExecutionStatus.TIMEOUT, stdout="0\n1\n2\n" * 100
    )
    assert code_evidence(result, diagnose(result.status, None, [])).to_wire_dict() == {
        "sourceEventType": "code.executed",
        "status": "timeout",
        "exceptionType": None,
        "message": None,
        "line": None,
        "lineText": None,
        "constructs": [],
        "diagnosis": "ran_out_of_time",
    }


def test_activity_evidence_is_attempts_and_duration() -> None:
    event = new_event(HelpRequested, user_id=uuid.uuid4(), data={"exerciseId": str(uuid.uuid4()), "duration": 700, "attempts": 4})
    assert activity_evidence(event).to_wire_dict() == {"sourceEventType": "help.requested", "attempts": 4, "duration": 700}
