"""A function that fails on purpose, as its events tell it to; for delivery tests.

The event's data may hold ``{"script": [500, 500, 200]}``: the status to answer on each
attempt (the last one repeats), and ``{"sleep": 2.0}`` to answer late. Every request is
appended as a JSON line to $SCRIPTED_LOG, so a test can see attempts and their times.
"""

import json
import os
import threading
import time

import flask
import functions_framework

_attempts: dict[str, int] = {}
_lock = threading.Lock()


@functions_framework.http
def handle(request: flask.Request) -> flask.Response:
    ce_id = request.headers.get("ce-id", "")
    try:
        data = json.loads(request.get_data() or b"{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    with _lock:
        n = _attempts.get(ce_id, 0)
        _attempts[ce_id] = n + 1
    script = data.get("script") or [200]
    status = int(script[min(n, len(script) - 1)])
    entry = {
        "id": ce_id,
        "attempt": n + 1,
        "status": status,
        "time": time.time(),
        "type": request.headers.get("ce-type"),
        "subject": request.headers.get("ce-subject"),
        "key": request.headers.get("ce-key"),
        "partitionkey": request.headers.get("ce-partitionkey"),
        "seq": data.get("seq"),
        "user": data.get("user"),
    }
    with _lock, open(os.environ["SCRIPTED_LOG"], "a") as log:
        log.write(json.dumps(entry) + "\n")
    if data.get("sleep"):
        time.sleep(float(data["sleep"]))
    headers = {"kne-reason": f"scripted {status}"} if status >= 300 else {}
    return flask.Response(json.dumps({"answer": status}), status=status, headers=headers, mimetype="application/json")
