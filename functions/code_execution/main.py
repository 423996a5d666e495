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

SERVICE = boot()


@functions_framework.cloud_event
def handle(cloud_event: CloudEvent) -> None:
    handle_event(cloud_event, SERVICE)


@functions_framework.http
def execute(request: Request) -> Response:
    return execute_request(request, SERVICE)
