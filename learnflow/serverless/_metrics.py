"""The Prometheus metrics a function records in its own process, defined once.

The backbone's other metrics (lag, throughput, deliveries, retries, DLQ depth) are
recorded by the exporter and the local dispatcher, in ``learnflow.local``.
"""

from __future__ import annotations

from prometheus_client import Counter

# -- From the functions ---------------------------------------------------------------

CODE_EXECUTION_UNPUBLISHED_RESULTS = Counter(
    "code_execution_unpublished_results",
    "Direct (HTTP) results answered to the learner but not published to Kafka.",
    ["reason"],
)
CODE_EXECUTION_SANDBOX_REFUSALS = Counter(
    "code_execution_sandbox_refusals",
    "Submissions refused because the sandbox was below its minimum level or failed.",
    ["reason"],
)
TRIAGE_UNRECOGNISED = Counter(
    "learnflow_triage_unrecognised",
    "Failed runs triage's diagnosis table could not explain (diagnosis unrecognised), by exception type.",
    # Built-in exception names only (a learner's own class counts as "other"), and the
    # run statuses for runs without an exception: a small, fixed label set.
    ["exception_type"],
)
CONCEPTS_UNKNOWN = Counter(
    "learnflow_concepts_unknown",
    "struggle.detected events whose concept has no knowledge-base entry (answered with the general explanation).",
    # Concept ids are snake_case and at most 64 characters by contract; in practice they
    # come from triage's published list, so the label set stays small.
    ["concept"],
)
CONCEPTS_LLM_FALLBACKS = Counter(
    "learnflow_concepts_llm_fallbacks",
    "Explanations the LLM backend could not write, answered from the knowledge base instead.",
    ["reason"],
)
