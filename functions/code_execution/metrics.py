"""The Prometheus metrics code execution records in its own process.

Named ``learnflow_code_execution_*`` like every metric of the backbone; the
delivery metrics (lag, deliveries, retries, dead letters) are the exporter's and the
dispatcher's, not a function's.
"""

from __future__ import annotations

from prometheus_client import Counter

UNPUBLISHED_RESULTS = Counter(
    "learnflow_code_execution_unpublished_results",
    "Direct (HTTP) results answered to the learner but not published to Kafka.",
    ["reason"],
)
SANDBOX_REFUSALS = Counter(
    "learnflow_code_execution_sandbox_refusals",
    "Submissions refused because the sandbox was below its minimum level or failed.",
    ["reason"],
)
