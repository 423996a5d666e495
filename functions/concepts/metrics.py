"""The Prometheus metrics the concepts function records in its own process.

Named ``learnflow_concepts_*`` like every metric of the backbone.
"""

from __future__ import annotations

from prometheus_client import Counter

UNKNOWN_CONCEPTS = Counter(
    "learnflow_concepts_unknown",
    "struggle.detected events whose concept has no knowledge-base entry (answered with the general explanation).",
    # Concept ids are snake_case and at most 64 characters by contract; in practice they
    # come from triage's published list, so the label set stays small.
    ["concept"],
)
LLM_FALLBACKS = Counter(
    "learnflow_concepts_llm_fallbacks",
    "Explanations the LLM backend could not write, answered from the knowledge base instead.",
    ["reason"],
)
