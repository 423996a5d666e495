"""Concepts settings and the explainer they select."""

from __future__ import annotations

import os

import pytest

from functions.concepts.bootstrap import build_explainer
from functions.concepts.explainer import KnowledgeBaseExplainer
from functions.concepts.knowledge_base import load_knowledge_base
from functions.concepts.llm import ChatCompletionsExplainer
from functions.concepts.settings import ConceptsSettings
from learnflow.events import ConfigurationError
from learnflow.serverless import load_settings

KB = load_knowledge_base()


def test_the_knowledge_base_is_the_default() -> None:
    assert isinstance(build_explainer(load_settings(ConceptsSettings), KB), KnowledgeBaseExplainer)


def test_the_llm_is_selected_by_the_environment() -> None:
    os.environ.update(
        LEARNFLOW_CONCEPTS_EXPLAINER="llm",
        LEARNFLOW_LLM_BASE_URL="http://127.0.0.1:9/v1/",
        LEARNFLOW_LLM_MODEL="tutor-small",
        LEARNFLOW_LLM_API_KEY="sk-secret",
        LEARNFLOW_LLM_TIMEOUT_S="2.5",
    )
    settings = load_settings(ConceptsSettings)
    explainer = build_explainer(settings, KB)
    assert isinstance(explainer, ChatCompletionsExplainer)
    assert explainer.url == "http://127.0.0.1:9/v1/chat/completions"
    assert "sk-secret" not in repr(settings)  # the key never reaches a log line


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LEARNFLOW_CONCEPTS_EXPLAINER": "oracle"}, "LEARNFLOW_CONCEPTS_EXPLAINER"),
        ({"LEARNFLOW_CONCEPTS_EXPLAINER": "llm"}, "LEARNFLOW_LLM_BASE_URL"),
        ({"LEARNFLOW_LLM_BASE_URL": "ftp://example"}, "LEARNFLOW_LLM_BASE_URL"),
        ({"LEARNFLOW_LLM_TIMEOUT_S": "60"}, "LEARNFLOW_LLM_TIMEOUT_S"),
    ],
)
def test_a_bad_value_names_the_variable(env: dict[str, str], named: str) -> None:
    os.environ.update(env)
    with pytest.raises(ConfigurationError, match=named):
        load_settings(ConceptsSettings)
