"""The Prometheus metrics triage records in its own process.

Named ``learnflow_triage_*`` like every metric of the backbone; the delivery metrics are
the exporter's and the dispatcher's, not a function's.
"""

from __future__ import annotations

from prometheus_client import Counter

UNRECOGNISED = Counter(
    "learnflow_triage_unrecognised",
    "Failed runs triage's diagnosis table could not explain (diagnosis unrecognised), by exception type.",
    # Built-in exception names only (a learner's own class counts as "other"), and the
    # run statuses for runs without an exception: a small, fixed label set.
    ["exception_type"],
)
