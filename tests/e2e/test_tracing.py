"""One trace per submission through the whole local stack, read back with ``learnflow trace``.

A buggy submission posted to the gateway (continuing a trace the "browser" started)
must yield one trace with spans from the gateway, the dispatchers, code execution,
triage, concepts and the two pushes, in causal order; and every record the stack wrote
for it carries ``traceparent``. Once with the embedded default, once with spans sent to
an OTLP receiver the test starts (``--otlp-endpoint``). No timing is asserted.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from learnflow.gateway import mint_token
from learnflow.local.cli import cli
from learnflow.local.cli._trace import fetch_trace
from learnflow.local.runtime.stack import LocalStack
from learnflow.local.traces import ReceiverServer, TraceAnswer, waterfall

from ..support.kafka import KafkaProbe
from ..support.machine import sandbox_override
from ..support.sse import SseStream
from ..support.stack import running_stack, stack_options

BROKEN_COMPREHENSION = "squares = [x * x for x in range(10)\nprint(squares)\n"
BROWSER_TRACE = uuid.uuid4().hex
BROWSER_PARENT = f"00-{BROWSER_TRACE}-{uuid.uuid4().hex[:16]}-01"

# (service, span name) of every hop, each a descendant of the one before: the trace's causal path.
PATH = [
    ("gateway", "POST /learners/{user_id}/submissions"),
    ("gateway", "send code-submitted"),
    ("learnflow-runtime", "process code-submitted"),
    ("code-execution", "process code-submitted"),
    ("code-execution", "send learning-events"),
    ("learnflow-runtime", "process learning-events"),
    ("triage", "process learning-events"),
    ("triage", "send struggle-detected"),
    ("learnflow-runtime", "process struggle-detected"),
    ("concepts", "process struggle-detected"),
    ("concepts", "send proactive-help"),
    ("gateway", "push proactive-help"),
]
SANDBOX_RUN = ("code-execution", "sandbox run")  # a child of code execution's process span, before its send
CODE_EXECUTED_PUSH = ("gateway", "push learning-events")  # the result, pushed from the same trace
HOPS = [*PATH, SANDBOX_RUN, CODE_EXECUTED_PUSH]


def _submit(stack: LocalStack) -> tuple[str, str]:
    """Post the buggy submission as the page would, wait for its help on the stream; (userId, eventId)."""
    assert stack.gateway is not None
    user = uuid.uuid4()
    token = mint_token(user, stack.gateway.env["LEARNFLOW_GATEWAY_JWT_KEY"], now=time.time(), ttl_s=600)
    with SseStream(f"{stack.gateway.url}learners/{user}/events", token=token) as stream:
        answer = httpx.post(
            f"{stack.gateway.url}learners/{user}/submissions",
            headers={"Authorization": f"Bearer {token}", "traceparent": BROWSER_PARENT},
            json={"exerciseId": str(uuid.uuid4()), "code": BROKEN_COMPREHENSION, "language": "python"},
            timeout=10,
        )
        assert answer.status_code == 202, answer.text
        kinds = {m.event for m in stream.take(2, timeout=60)}
    assert kinds == {"code.executed", "help.explanation"}
    return str(user), answer.json()["eventId"]


def _trace_with_every_hop(url: str, query: str, timeout: float = 30.0) -> TraceAnswer:
    """Poll until the trace holds every hop's span: each process exports in batches, a little late."""
    deadline = time.monotonic() + timeout
    while True:
        answer = fetch_trace(url, query)
        have = {(s.service, s.name) for s in answer.spans} if answer else set()
        complete = set(HOPS) <= have
        if complete or time.monotonic() > deadline:
            assert answer is not None, f"no trace of {query}"
            return answer
        time.sleep(0.3)


def _assert_one_causal_trace(answer: TraceAnswer, user_id: str, event_id: str) -> None:
    assert answer.trace_id == BROWSER_TRACE, "the gateway continued the browser's trace"
    names = {(s.service, s.name) for s in answer.spans}
    assert set(HOPS) <= names, sorted(set(HOPS) - names)
    # Causal order: each hop on the path is a descendant of the one before it.
    by_id = {s.span_id: s for s in answer.spans}
    order = [(r.span.service, r.span.name) for r in waterfall(answer.spans)]

    def ancestors(span_id: str) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        span = by_id[span_id]
        while span.parent_span_id in by_id:
            span = by_id[span.parent_span_id]
            found.add((span.service, span.name))
        return found

    def follows(after: tuple[str, str], before: tuple[str, str]) -> None:
        spans = [s for s in answer.spans if (s.service, s.name) == after]
        assert any(before in ancestors(s.span_id) for s in spans), f"{after} is not a descendant of {before}"

    for before, after in itertools.pairwise(PATH):
        follows(after, before)
        assert order.index(before) < order.index(after)
    follows(SANDBOX_RUN, ("code-execution", "process code-submitted"))
    assert order.index(SANDBOX_RUN) < order.index(("code-execution", "send learning-events"))
    follows(CODE_EXECUTED_PUSH, ("code-execution", "send learning-events"))
    [submitted] = [s for s in answer.spans if s.name == "send code-submitted"]
    assert submitted.attributes["messaging.message.id"] == event_id
    assert submitted.attributes["messaging.kafka.message.key"] == user_id
    assert submitted.attributes["messaging.system"] == "kafka"
    [delivered] = [s for s in answer.spans if s.service == "learnflow-runtime" and s.name == "process code-submitted"]
    assert delivered.kind == "consumer" and isinstance(delivered.attributes["messaging.kafka.offset"], int)
    assert delivered.attributes["messaging.consumer.group.name"] == "learnflow-code-execution"


def _assert_every_record_carries_the_trace(stack: LocalStack, user_id: str) -> None:
    assert stack.settings is not None
    probe = KafkaProbe(stack.settings)
    try:
        for topic in ("code-submitted", "learning-events", "struggle-detected", "proactive-help"):
            records = [r for r in probe.records(topic) if r.key == user_id.encode()]
            assert records, topic
            for record in records:
                assert (record.header_text("traceparent") or "").split("-")[1] == BROWSER_TRACE, topic
    finally:
        probe.close()


@pytest.fixture
def collector() -> Iterator[ReceiverServer]:
    """An OTLP/HTTP receiver of the test's own, standing in for a collector; stopped whatever happens."""
    server = ReceiverServer(port=0).start()
    try:
        yield server
    finally:
        server.stop()


def test_a_submission_is_one_trace_across_every_hop_printed_by_learnflow_trace(tmp_path: Path):
    with running_stack(stack_options(tmp_path / "logs", function_env=sandbox_override(), gateway_port=0)) as stack:
        assert stack.traces is not None, "without --otlp-endpoint the stack keeps the spans itself"
        user_id, event_id = _submit(stack)
        answer = _trace_with_every_hop(stack.traces.url, event_id)
        _assert_one_causal_trace(answer, user_id, event_id)
        _assert_every_record_carries_the_trace(stack, user_id)
        for query in (event_id, user_id):
            # A wide "terminal", so that no span name is wrapped across lines.
            printed = CliRunner(env={"COLUMNS": "220"}).invoke(cli, ["trace", query, "--traces-url", stack.traces.url])
            assert printed.exit_code == 0, printed.output
            assert f"trace {BROWSER_TRACE}" in printed.output
            for service, name in HOPS:
                assert service in printed.output and name in printed.output
        missing = CliRunner().invoke(cli, ["trace", str(uuid.uuid4()), "--traces-url", stack.traces.url])
        assert missing.exit_code != 0 and "no trace of" in missing.output


def test_with_an_otlp_endpoint_every_process_exports_there(tmp_path: Path, collector: ReceiverServer):
    options = stack_options(tmp_path / "logs", function_env=sandbox_override(), gateway_port=0, otlp_endpoint=collector.url)
    with running_stack(options) as stack:
        assert stack.traces is None, "no embedded receiver when spans go to a collector"
        user_id, event_id = _submit(stack)
        answer = _trace_with_every_hop(collector.url, event_id)
        _assert_one_causal_trace(answer, user_id, event_id)
