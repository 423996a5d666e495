"""concepts under functions-framework, driven by CloudEvents over HTTP, publishing to the broker."""

from __future__ import annotations

import json
import uuid

import httpx

from learnflow.events import (
    PROACTIVE_HELP,
    HelpExplanation,
    KafkaRecord,
    StruggleDetected,
    from_record,
    new_event,
)
from learnflow.local._function_server import FunctionServer
from learnflow.local._process import free_port

from ..support.cloudevents import binary_headers
from ..support.fake_llm import REPLY_TEXT, FakeLLM
from ..support.functions import StartServer, follow_up_record, post_event
from ..support.kafka import KafkaProbe


def struggle(concept: str, struggle_type: str = "logic_error", action: str = "give_hint") -> StruggleDetected:
    return new_event(
        StruggleDetected,
        user_id=uuid.uuid4(),
        data={
            "struggleType": struggle_type,
            "concept": concept,
            "confidence": 0.7,
            "suggestedAction": action,
        },
    )


def post(server: FunctionServer, event: StruggleDetected) -> httpx.Response:
    return post_event(server, event, "/learnflow/triage", timeout=30)


def explanation_of(probe: KafkaProbe, event: StruggleDetected) -> tuple[KafkaRecord, HelpExplanation]:
    record = follow_up_record(probe, PROACTIVE_HELP.name, event.event_id, "concepts")
    out = from_record(record, PROACTIVE_HELP)
    assert isinstance(out, HelpExplanation)
    return record, out


def test_a_struggle_is_answered_on_proactive_help(
    function_server: StartServer, kafka_env: dict[str, str], kafka_probe: KafkaProbe
) -> None:
    server = function_server("concepts", env=kafka_env)
    event = struggle("while_loops")

    assert post(server, event).status_code == 200

    record, out = explanation_of(kafka_probe, event)
    assert record.key == str(event.user_id).encode()
    assert record.header_text("ce_source") == "/learnflow/concepts"
    assert out.data.title == "while loops: a hint"
    assert "countdown -= 1" in out.data.example_code
    assert out.data.expected_output == "3\n2\n1\nlift off\n"
    assert (out.data.concept, out.data.struggle_type.value, out.data.source_event_id) == (
        "while_loops",
        "logic_error",
        event.event_id,
    )


def test_an_unknown_concept_gets_the_general_explanation(
    function_server: StartServer, kafka_env: dict[str, str], kafka_probe: KafkaProbe
) -> None:
    server = function_server("concepts", env=kafka_env)
    event = struggle("metaclasses", "concept_confusion", "explain_concept")

    assert post(server, event).status_code == 200

    _, out = explanation_of(kafka_probe, event)
    assert out.data.title == "Getting unstuck: how it works"
    assert out.data.concept == "metaclasses"


def test_the_llm_backend_is_chosen_by_configuration(
    function_server: StartServer, kafka_env: dict[str, str], kafka_probe: KafkaProbe, fake_llm: FakeLLM
) -> None:
    server = function_server(
        "concepts",
        env={
            **kafka_env,
            "LEARNFLOW_CONCEPTS_EXPLAINER": "llm",
            "LEARNFLOW_LLM_BASE_URL": fake_llm.base_url,
            "LEARNFLOW_LLM_MODEL": "tutor-small",
            "LEARNFLOW_LLM_API_KEY": "sk-test",
        },
    )
    event = struggle("recursion", "concept_confusion", "explain_concept")

    assert post(server, event).status_code == 200

    _, out = explanation_of(kafka_probe, event)
    assert out.data.explainer == "llm:tutor-small"
    assert out.data.body.startswith(REPLY_TEXT)
    assert len(fake_llm.requests) == 1


def test_poison_is_refused_with_its_reason(function_server: StartServer, kafka_env: dict[str, str]) -> None:
    server = function_server("concepts", env=kafka_env)
    document = struggle("lists").to_wire_dict()
    document["data"]["struggleType"] = "boredom"

    response = httpx.post(
        server.url,
        content=json.dumps(document),
        timeout=30,
        headers=binary_headers("struggle.detected", "poison-2"),
    )

    assert response.status_code == 400
    assert "data.struggleType" in response.headers["kne-reason"]


def test_an_unreachable_broker_answers_503(function_server: StartServer) -> None:
    nowhere = {"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}", "LEARNFLOW_PUBLISH_TIMEOUT_S": "1"}
    server = function_server("concepts", env=nowhere)

    response = post(server, struggle("lists"))

    assert response.status_code == 503
    assert "proactive-help" in response.headers["kne-reason"]
