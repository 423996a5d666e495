"""Help about the learner's own code, through the embedded broker and real functions.

For two dozen buggy programs of triage's table: code.submitted -> code execution ->
code.executed -> triage -> struggle.detected -> concepts -> help.explanation. The test
plays the dispatcher as test_chain.py does (each record POSTed as KafkaSource delivers
it). Every explanation must quote the failing line with its number; every verdict's
evidence must hold that line and nothing else of the program, and name its diagnosis.
"""

from __future__ import annotations

import json
import uuid

import pytest

from learnflow.events import (
    LEARNING_EVENTS,
    PROACTIVE_HELP,
    STRUGGLE_DETECTED,
    CodeExecuted,
    CodeSubmitted,
    HelpExplanation,
    StruggleDetected,
    ce_source,
    from_record,
    new_event,
)

from ..support.functions import StartServer, deliver, follow_up_record, post_event
from ..support.kafka import KafkaProbe
from ..unit.triage.situations import Program, load_programs

# Seventy-two deliveries and three function servers on a shared two-core machine.
pytestmark = pytest.mark.timeout(300)

CHOSEN = [
    "indexing: index past the end of a two-item list",
    "indexing: loop one step too far",
    "indexing: assignment past the end of a list to grow it",
    "attributes: append on a string",
    "attributes: append result stored back",
    "attributes: attribute never set on self",
    "syntax: for header without its colon",
    "syntax: unterminated string in print",
    "syntax: if with = instead of ==",
    "syntax: list literal never closed",
    "indentation: for body not indented",
    "indentation: tabs and spaces mixed in one block",
    "types: tuple item assignment",
    "types: text plus a number in print",
    "types: for over len of a list",
    "types: list as a dictionary key",
    "classes: method without self",
    "keys: missing dictionary key",
    "keys: counting words without a starting value",
    "values: int of a word",
    "arithmetic: average of an empty list",
    "recursion: factorial without a base case",
    "names: module used without import",
    "names: function of a module used without its module",
]
PROGRAMS = {p.id: p for p in load_programs()}


def test_two_dozen_buggy_programs_get_help_that_quotes_their_failing_line(
    function_server: StartServer, kafka_env: dict[str, str], kafka_probe: KafkaProbe
) -> None:
    code_execution = function_server("code_execution", env=kafka_env)
    triage = function_server("triage", env=kafka_env)
    concepts = function_server("concepts", env=kafka_env)
    programs: list[Program] = [PROGRAMS[name] for name in CHOSEN]

    submissions = []
    for program in programs:
        submission = new_event(
            CodeSubmitted,
            user_id=uuid.uuid4(),
            data={"exerciseId": uuid.uuid4(), "code": program.code, "language": "python"},
        )
        assert post_event(code_execution, submission, ce_source("frontend")).status_code == 200
        submissions.append(submission)

    quoted = []
    for program, submission in zip(programs, submissions, strict=True):
        executed_record = follow_up_record(kafka_probe, LEARNING_EVENTS.name, submission.event_id, "code-execution")
        executed = from_record(executed_record, LEARNING_EVENTS)
        assert isinstance(executed, CodeExecuted) and executed.data.error is not None, program.id
        line, number = executed.data.error.line_text, executed.data.error.line
        assert number is not None and line == program.code.splitlines()[number - 1], program.id

        assert deliver(executed_record, LEARNING_EVENTS.name, triage).status_code == 200
        verdict_record = follow_up_record(kafka_probe, STRUGGLE_DETECTED.name, executed.event_id, "triage")
        verdict = from_record(verdict_record, STRUGGLE_DETECTED)
        assert isinstance(verdict, StruggleDetected)
        evidence = json.loads(verdict_record.value or b"{}")["data"]["evidence"]
        assert (evidence["line"], evidence["lineText"]) == (number, line)
        # Diagnosed once, by triage: concepts explains the id, it does not read the message.
        assert evidence["diagnosis"] not in (None, "unrecognised"), program.id
        others = [text.strip() for i, text in enumerate(program.code.splitlines(), 1) if i != number and len(text.strip()) > 5]
        assert [text for text in others if json.dumps(text)[1:-1] in json.dumps(evidence)] == [], program.id

        assert deliver(verdict_record, STRUGGLE_DETECTED.name, concepts).status_code == 200
        help_record = follow_up_record(kafka_probe, PROACTIVE_HELP.name, verdict.event_id, "concepts")
        explanation = from_record(help_record, PROACTIVE_HELP)
        assert isinstance(explanation, HelpExplanation) and explanation.user_id == submission.user_id
        body = explanation.data.body
        if f"**Line {number} of your code**" in body and f"\n{line}\n" in body and "**Next step:**" in body:
            quoted.append(program.id)

    assert len(programs) >= 20
    assert sorted(quoted) == sorted(p.id for p in programs)  # every explanation quotes its failing line
