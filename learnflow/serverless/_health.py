"""GET health probes for a function served by functions-framework.

``kn func deploy`` always gives the container HTTP GET liveness and readiness probes
(func.yaml ``deploy.healthEndpoints``). functions-framework routes a cloudevent
function for POST only, so a GET anywhere is a 405 and the revision never becomes
Ready. Two GET routes added to the app fix that; the function's own routes, added by
functions-framework after the module has run, are unchanged: a POST to these paths
still reaches the function.
"""

from __future__ import annotations

from flask import Flask

LIVENESS_PATH = "/health/liveness"
READINESS_PATH = "/health/readiness"
PROBE_PATHS = (LIVENESS_PATH, READINESS_PATH)


def _ok() -> tuple[str, int]:
    return "ok\n", 200


def add_health_probes(app: Flask) -> None:
    """Answer GET (and HEAD) on ``PROBE_PATHS`` of ``app`` with 200.

    The process is ready and alive once it serves: every function builds its clients
    at the first event, and code execution starts its sandbox before its module is done.
    """
    for path in PROBE_PATHS:
        app.add_url_rule(path, endpoint=f"learnflow-probe:{path}", view_func=_ok, methods=["GET"])
