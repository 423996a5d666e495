"""Hostile HTTP into every function under functions-framework: no crash, no hang, a reason for each refusal.

Each function is started once for this module (a server per example would cost ~1 s
each) and receives hypothesis-generated requests: binary-mode events with random or
missing ``ce-*`` attributes, structured envelopes of every wrong shape, random bytes,
mutated seed documents, bad UTF-8 and nesting too deep for ``json``.

What an answer may be (DESIGN §3):
- 2xx: the event was processed;
- 4xx with a JSON ``reason`` and a ``kne-reason`` header: poison, dead-lettered at once
  with its reason. Since ``cloud_event_function`` registers ``answer_undecodable`` on each
  function's app this holds for functions-framework's own refusals too (its 400 for "not a
  CloudEvent", its 415 for a body it would not read as JSON);
- 503 with a reason: the only 5xx allowed, because it is the documented transient
  answer (a publish Kafka did not take, a sandbox that refused to run); the delivery
  layer retries it. A 500 (a crash) is always a failure here: malformed input must be
  poison, never retried.
A request that gets no answer within the timeout is a hang, and fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from learnflow.local._function_server import FunctionServer
from learnflow.serverless import KafkaSettings

from ..support.fuzzing import examples
from .strategies import FuzzRequest, http_requests, mutated_requests

HANG = 20.0  # seconds: far beyond any answer (the sandbox's own limit is a few seconds); only a hang reaches it
TRANSIENT_5XX = {503}
FUZZ = settings(
    max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# (folder, target, signature type): every HTTP face of every function.
FACES = [
    ("triage", "handle", "cloudevent"),
    ("concepts", "handle", "cloudevent"),
    ("code_execution", "handle", "cloudevent"),
    ("code_execution", "execute", "http"),
]


@pytest.fixture(scope="module", params=FACES, ids=[f"{f}.{t}" for f, t, _ in FACES])
def server(
    request: pytest.FixtureRequest, kafka: KafkaSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FunctionServer]:
    folder, target, signature = request.param
    log = tmp_path_factory.mktemp("fuzz") / f"{folder}-{target}.log"
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_BROKER_KIND": kafka.broker_kind.value,
        "LEARNFLOW_PUBLISH_TIMEOUT_S": "5",
    }
    function = FunctionServer(folder, target, signature, env=env, log_path=log)
    try:
        function.start()
        yield function
    finally:
        function.stop()
        _print_crashes(log)


def _print_crashes(log: Path) -> None:
    # A crash is asserted on by status; the traceback in the server's log says why.
    if log.exists() and "Traceback" in (text := log.read_text(errors="replace")):
        print(text[-8000:])


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=HANG) as c:
        yield c


def assert_answered_properly(response: httpx.Response, request: FuzzRequest) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    assert 400 <= status < 500 or status in TRANSIENT_5XX, f"{status} to {request!r}: {response.text[:500]}"
    assert response.headers.get("kne-reason"), f"{status} without kne-reason to {request!r}: {response.text[:300]}"
    body = response.json()
    assert isinstance(body, dict) and body.get("reason"), f"{status} without a JSON reason: {response.text[:300]}"


def post(client: httpx.Client, server: FunctionServer, request: FuzzRequest) -> httpx.Response:
    try:
        return client.post(server.url, headers=request.headers, content=request.body)
    except httpx.TimeoutException:
        pytest.fail(f"no answer within {HANG} s (a hang) to {request!r}")


@FUZZ
@given(request=http_requests())
def test_every_request_is_processed_or_refused_with_a_reason(
    server: FunctionServer, client: httpx.Client, request: FuzzRequest
) -> None:
    assert_answered_properly(post(client, server, request), request)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=mutated_requests())
def test_mutated_seed_documents_in_a_well_formed_event(
    server: FunctionServer, client: httpx.Client, request: FuzzRequest
) -> None:
    response = post(client, server, request)
    assert_answered_properly(response, request)
    if response.status_code == 400 and server.target == "handle":
        # The attributes are all fine, so a refusal comes from validating the document: it names fields.
        assert response.json()["fields"], "a poison answer names the fields at fault"


def test_the_server_survived(server: FunctionServer, client: httpx.Client) -> None:
    # Runs after the properties of the same module-scoped server (definition order).
    assert server.running(), "the function process died under fuzzing"
    response = client.post(server.url, headers={"content-type": "application/json"}, content=b"{}")
    assert response.status_code < 500
