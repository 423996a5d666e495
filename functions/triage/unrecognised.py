"""What the diagnosis table could not explain, made visible to operators (metric and log).

Every ``struggle.detected`` whose diagnosis is ``unrecognised`` is counted in
``learnflow_triage_unrecognised_total`` by exception type, and logged with Python's
message (cut short), so the table's next rows can be chosen from what learners meet.
Never the program: the message is already on the event, the code is not.
"""

from __future__ import annotations

import builtins
import logging

from learnflow.events import CodeEvidence, StruggleDetected

from .metrics import UNRECOGNISED as UNRECOGNISED_RUNS

UNRECOGNISED = "unrecognised"
MAX_LOGGED_MESSAGE = 200
log = logging.getLogger(__name__)


def exception_label(evidence: CodeEvidence) -> str:
    """The label of one unrecognised run: a built-in exception's name, "other" for a
    learner's own class (unbounded names would make unbounded series), or the status."""
    name = evidence.exception_type
    if name is None:
        return evidence.status.value
    kind = getattr(builtins, name, None)
    return name if isinstance(kind, type) and issubclass(kind, BaseException) else "other"


def report_unrecognised(events: list[StruggleDetected]) -> None:
    """Count and log the verdicts among ``events`` that the table could not explain."""
    for event in events:
        evidence = event.data.evidence
        if not isinstance(evidence, CodeEvidence) or evidence.diagnosis != UNRECOGNISED:
            continue
        label = exception_label(evidence)
        UNRECOGNISED_RUNS.labels(exception_type=label).inc()
        log.info(
            "unrecognised error: %s: %s",
            label,
            (evidence.message or "")[:MAX_LOGGED_MESSAGE],
            extra={"event_id": str(event.event_id)},
        )
