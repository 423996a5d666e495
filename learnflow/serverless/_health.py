"""GET health probes for a function served by functions-framework.

``kn func deploy`` always gives the container HTTP GET liveness and readiness probes
(func.yaml ``deploy.healthEndpoints``). functions-framework routes a cloudevent
function for POST only, so a GET anywhere is a 405 and the revision never becomes
Ready. It does run the function's module inside the application context of the Flask
app it is creating (upstream pins this with its ``flask_current_app`` test function),
and ``functions_framework.errorhandler`` works the same way; so a module-level call in
``main.py`` can add two GET routes to that app. The function's own routes, added after
the module has run, are unchanged: a POST to these paths still reaches the function.
"""

from __future__ import annotations

from flask import current_app, has_app_context

LIVENESS_PATH = "/health/liveness"
READINESS_PATH = "/health/readiness"
PROBE_PATHS = (LIVENESS_PATH, READINESS_PATH)


def _ok() -> tuple[str, int]:
    return "ok\n", 200


def serve_health_probes() -> None:
    """Answer GET (and HEAD) on ``PROBE_PATHS`` with 200; call once at the top level of ``main.py``.

    The process is ready and alive once it serves: every function builds its clients
    at the first event, and code execution starts its sandbox before the module is
    done. Outside functions-framework's loader (a plain import) there is no app being
    built and this does nothing, like ``functions_framework.errorhandler``.
    """
    if not has_app_context():
        return
    for path in PROBE_PATHS:
        current_app.add_url_rule(path, endpoint=f"learnflow-probe:{path}", view_func=_ok, methods=["GET"])
