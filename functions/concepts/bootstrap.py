"""Wiring: settings, knowledge base and explainer, each built once at first use."""

from __future__ import annotations

from functools import lru_cache

from learnflow.serverless import load_settings

from .explainer import Explainer, KnowledgeBaseExplainer
from .knowledge_base import KnowledgeBase, load_knowledge_base
from .llm import ChatCompletionsExplainer
from .settings import ConceptsSettings, ExplainerKind


def build_explainer(settings: ConceptsSettings, kb: KnowledgeBase) -> Explainer:
    """The explainer ``settings`` select; the knowledge base unless told otherwise."""
    if settings.explainer is ExplainerKind.LLM:
        assert settings.llm_base_url and settings.llm_model  # guaranteed by ConceptsSettings
        return ChatCompletionsExplainer(
            kb,
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
            timeout_s=settings.llm_timeout_s,
        )
    return KnowledgeBaseExplainer(kb)


@lru_cache(maxsize=1)
def get_knowledge_base() -> KnowledgeBase:
    return load_knowledge_base()


@lru_cache(maxsize=1)
def get_explainer() -> Explainer:
    """Raises ConfigurationError (naming the variable) or KnowledgeBaseError on bad input."""
    return build_explainer(load_settings(ConceptsSettings), get_knowledge_base())
