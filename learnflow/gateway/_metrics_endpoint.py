"""``GET /metrics``: the process's Prometheus registry in the text format, on the gateway's own port.

On the app's port rather than a second listener: a Knative Service exposes one port.
"""

from __future__ import annotations

import asyncio

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from starlette.requests import Request
from starlette.responses import Response


async def metrics_endpoint(request: Request) -> Response:
    # Collecting walks every metric: off the event loop, which serves the streams.
    body = await asyncio.to_thread(generate_latest, REGISTRY)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
