"""Concepts settings: which explainer, and where the optional LLM lives."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, SecretStr, model_validator

from learnflow.serverless import EnvSettings


class ExplainerKind(StrEnum):
    KNOWLEDGE_BASE = "knowledge_base"  # the default: curated, offline
    LLM = "llm"  # an OpenAI-compatible chat-completions server, knowledge base as fallback


class ConceptsSettings(EnvSettings):
    explainer: ExplainerKind = Field(ExplainerKind.KNOWLEDGE_BASE, validation_alias="LEARNFLOW_CONCEPTS_EXPLAINER")
    llm_base_url: str | None = Field(
        None,
        pattern=r"^https?://\S+$",
        validation_alias="LEARNFLOW_LLM_BASE_URL",
        description="Base URL of the API, e.g. https://api.example.com/v1 (``/chat/completions`` is appended).",
    )
    llm_model: str | None = Field(None, min_length=1, validation_alias="LEARNFLOW_LLM_MODEL")
    llm_api_key: SecretStr | None = Field(None, validation_alias="LEARNFLOW_LLM_API_KEY")
    # Well inside the KafkaSource's 30 s per-attempt delivery timeout, so a slow model
    # costs one fallback answer, never a retried delivery.
    llm_timeout_s: float = Field(8.0, gt=0, le=20, validation_alias="LEARNFLOW_LLM_TIMEOUT_S")

    @model_validator(mode="after")
    def _llm_needs_endpoint(self) -> Self:
        if self.explainer is ExplainerKind.LLM and not (self.llm_base_url and self.llm_model):
            raise ValueError("LEARNFLOW_CONCEPTS_EXPLAINER=llm needs LEARNFLOW_LLM_BASE_URL and LEARNFLOW_LLM_MODEL")
        return self
