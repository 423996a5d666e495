"""functions-framework entry points: ``handle`` (CloudEvent) and ``execute`` (HTTP).

The sandbox's zygotes start here, at import: functions-framework imports this file
before it serves, so they exist before any Kafka client or secret does.
"""

from __future__ import annotations

import functions_framework
from cloudevents.http import CloudEvent
from flask import Request, Response

from functions.code_execution.bootstrap import boot
from functions.code_execution.targets import execute_request, handle_event
from learnflow.serverless import answer_undecodable, serve_health_probes

SERVICE = boot()

# Input the framework cannot parse is poison (400 with a reason), not a retried 500.
functions_framework.errorhandler(Exception)(answer_undecodable)
# GET /health/liveness and /health/readiness answer 200 (kn func deploy probes them).
serve_health_probes()


@functions_framework.cloud_event
def handle(cloud_event: CloudEvent) -> None:
    handle_event(cloud_event, SERVICE)


@functions_framework.http
def execute(request: Request) -> Response:
    return execute_request(request, SERVICE)
