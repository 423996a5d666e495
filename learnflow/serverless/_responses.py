"""How a function answers the delivery layer (DESIGN §3).

The status is the whole protocol between a function and KafkaSource or Dapr:

- 2xx: done, commit the offset;
- 4xx other than 404/408/409/429: poison, dead-letter it at once (``kne-*`` response
  headers become extensions on the dead letter, so the reason travels with it);
- 5xx: transient, retry with backoff.
"""

from __future__ import annotations

import json

from flask import Response

from learnflow.events import InvalidEvent, header_safe

POISON_STATUS = 400
TRANSIENT_STATUS = 503
REASON_HEADER = "kne-reason"


def json_response(status: int, body: dict[str, object], headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json", headers=headers or {})


def poison(error: InvalidEvent) -> Response:
    """400 with the field errors: never retried, dead-lettered with the reason."""
    body: dict[str, object] = {
        "error": "invalid_event",
        "reason": error.reason,
        "fields": [{"path": e.path, "reason": e.reason} for e in error.errors],
    }
    return json_response(POISON_STATUS, body, {REASON_HEADER: header_safe(error.reason)})


def transient(kind: str, reason: str) -> Response:
    """503: the delivery layer retries with backoff."""
    return json_response(TRANSIENT_STATUS, {"error": kind, "reason": reason}, {REASON_HEADER: header_safe(reason)})
