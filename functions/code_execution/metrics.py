"""The function's own metrics (Prometheus, in this process's default registry)."""

from __future__ import annotations

from prometheus_client import Counter

UNPUBLISHED_RESULTS = Counter(
    "code_execution_unpublished_results",
    "Direct (HTTP) results answered to the learner but not published to Kafka.",
    ["reason"],
)
SANDBOX_REFUSALS = Counter(
    "code_execution_sandbox_refusals",
    "Submissions refused because the sandbox was below its minimum level or failed.",
    ["reason"],
)
