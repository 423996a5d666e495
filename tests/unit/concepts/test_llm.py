"""The LLM explainer against a local fake server: its request, its answer, its fallbacks."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client import REGISTRY

from functions.concepts.explain import explain_struggle
from functions.concepts.explainer import KnowledgeBaseExplainer
from functions.concepts.knowledge_base import load_knowledge_base
from functions.concepts.llm import ChatCompletionsExplainer
from learnflow.events import StruggleDetected, new_event

from ...support.evidence import APPEND_ON_STR_EVIDENCE
from ...support.fake_llm import REPLY_TEXT, FakeLLM

KB = load_knowledge_base()


def _event(concept: str = "list_comprehension") -> StruggleDetected:
    return new_event(
        StruggleDetected,
        user_id=uuid.uuid4(),
        data={"struggleType": "syntax_error", "concept": concept, "confidence": 0.9, "suggestedAction": "review_syntax"},
    )


def _explainer(fake: FakeLLM, timeout_s: float = 5.0, base_url: str | None = None) -> ChatCompletionsExplainer:
    return ChatCompletionsExplainer(
        KB, base_url=base_url or fake.base_url, model="tutor-small", api_key="sk-test", timeout_s=timeout_s
    )


def _fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("learnflow_concepts_llm_fallbacks_total", {"reason": reason}) or 0.0


def test_the_model_writes_the_prose_and_the_example_stays_curated(fake_llm: FakeLLM) -> None:
    explainer = _explainer(fake_llm)
    try:
        (out,) = explain_struggle(_event(), KB, explainer)
    finally:
        explainer.close()

    assert out.data.body.startswith(REPLY_TEXT)
    entry = KB.entries["list_comprehension"]
    assert entry.example.code.strip() in out.data.body
    assert out.data.example_code == entry.example.code
    assert out.data.explainer == "llm:tutor-small"

    (request,) = fake_llm.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test"
    assert request["json"]["model"] == "tutor-small"
    roles = [m["role"] for m in request["json"]["messages"]]
    assert roles == ["system", "user"]
    assert "list_comprehension" in request["json"]["messages"][1]["content"]


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [("status_500", "http_status"), ("garbage", "bad_response"), ("empty", "bad_response"), ("hang", "timeout")],
)
def test_any_failure_falls_back_to_the_knowledge_base(fake_llm: FakeLLM, behaviour: str, reason: str) -> None:
    fake_llm.behaviour = behaviour
    explainer = _explainer(fake_llm, timeout_s=0.3)
    before = _fallbacks(reason)
    event = _event()
    try:
        (out,) = explain_struggle(event, KB, explainer)
    finally:
        explainer.close()

    (curated,) = explain_struggle(event, KB, KnowledgeBaseExplainer(KB))
    assert out.data == curated.data
    assert out.data.explainer == "knowledge_base"
    assert _fallbacks(reason) == before + 1


def test_an_unreachable_server_falls_back(fake_llm: FakeLLM) -> None:
    url = fake_llm.base_url
    fake_llm.stop()  # nothing listens on that port any more
    explainer = _explainer(fake_llm, base_url=url)
    before = _fallbacks("connection")
    try:
        (out,) = explain_struggle(_event(), KB, explainer)
    finally:
        explainer.close()
    assert out.data.explainer == "knowledge_base"
    assert _fallbacks("connection") == before + 1


def test_the_model_gets_the_learners_line_and_the_body_keeps_it_quoted(fake_llm: FakeLLM) -> None:
    event = new_event(
        StruggleDetected,
        user_id=uuid.uuid4(),
        data={
            "struggleType": "concept_confusion",
            "concept": "strings",
            "confidence": 0.8,
            "suggestedAction": "explain_concept",
            "evidence": APPEND_ON_STR_EVIDENCE,
        },
    )
    explainer = _explainer(fake_llm)
    try:
        (out,) = explain_struggle(event, KB, explainer)
    finally:
        explainer.close()

    prompt = fake_llm.requests[0]["json"]["messages"][1]["content"]
    assert 'name.append("!")' in prompt and "AttributeError: 'str' object has no attribute 'append'" in prompt
    body = out.data.body
    assert body.startswith('**Line 2 of your code**\n\n```python\nname.append("!")\n```')
    assert body.index("**Next step:**") < body.index(REPLY_TEXT) < body.index(KB.entries["strings"].example.code.strip())
    assert out.data.explainer == "llm:tutor-small"
