"""functions-framework entry points: ``handle`` (CloudEvent) and ``execute`` (HTTP).

The sandbox's zygotes start here, at import: functions-framework imports this file
before it serves, so they exist before any Kafka client or secret does.
"""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions.code_execution.bootstrap import boot
from functions.code_execution.service import PRODUCER
from functions.code_execution.targets import execute_request, guarded
from learnflow.events import CODE_SUBMITTED
from learnflow.serverless import cloud_event_function

SERVICE = boot()

# Also wires the app for ``execute`` (error handler, health probes): both targets load this module.
handle = cloud_event_function(CODE_SUBMITTED, guarded(SERVICE), producer=PRODUCER)


@functions_framework.http
def execute(request: Request) -> Response:
    return execute_request(request, SERVICE)
