"""The embedded default: an OTLP/HTTP receiver that keeps spans in memory and answers ``learnflow trace``.

Why a receiver, not a file per process: every process of the stack then exports exactly
as it would in the cluster (the SDK's OTLP/HTTP exporter, configured by the standard
variables), so the embedded default and ``--otlp-endpoint`` differ only in a URL; and
one place holds all hops, so a waterfall needs no merging of files written concurrently.
Spans live as long as ``learnflow up``; a collector is for keeping them longer.

    POST /v1/traces                 OTLP/HTTP, application/x-protobuf (what the SDK sends)
    GET  /learnflow/traces/<query>  the trace of an eventId, a userId or a trace id, as JSON
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

from google.protobuf.message import DecodeError
from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Request, Response

from learnflow.local._wsgi_thread import ThreadedWsgiServer
from learnflow.local.traces._otlp import spans_of
from learnflow.local.traces._store import SpanStore

log = logging.getLogger(__name__)

OTLP_PATH = "/v1/traces"
QUERY_PREFIX = "/learnflow/traces/"
DEFAULT_ADDRESS = "127.0.0.1:4318"  # OTLP/HTTP's port: what a collector would listen on


def _json(status: int, body: object) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


class Receiver:
    """The WSGI app over a ``SpanStore``."""

    def __init__(self, store: SpanStore) -> None:
        self.store = store

    def __call__(self, environ: Mapping[str, object], start_response: object) -> Iterable[bytes]:
        response = self.handle(Request(environ))  # type: ignore[arg-type]
        return response(environ, start_response)  # type: ignore[arg-type]

    def handle(self, request: Request) -> Response:
        if request.path == OTLP_PATH and request.method == "POST":
            if "json" in (request.content_type or ""):
                return _json(415, {"error": "OTLP/JSON is not taken here; send application/x-protobuf"})
            try:
                self.store.add(spans_of(request.get_data()))
            except DecodeError as exc:
                return _json(400, {"error": f"not an ExportTraceServiceRequest: {exc}"})
            # An empty ExportTraceServiceResponse: every span accepted.
            return Response(b"", status=200, mimetype="application/x-protobuf")
        if request.path.startswith(QUERY_PREFIX) and request.method == "GET":
            query = unquote(request.path[len(QUERY_PREFIX) :])
            answer = self.store.trace(query)
            if answer is None:
                return _json(404, {"error": f"no trace of {query!r} among {len(self.store)} spans"})
            return Response(answer.model_dump_json(), status=200, mimetype="application/json")
        return _json(404, {"error": f"POST {OTLP_PATH} or GET {QUERY_PREFIX}<eventId|userId|traceId>"})


class _QuietHandler(WSGIRequestHandler):
    """No access log: every process exports several times a second."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class ReceiverServer(ThreadedWsgiServer):
    """The receiver on a port, served from a background thread (threaded: exports arrive concurrently)."""

    def __init__(self, store: SpanStore | None = None, host: str = "127.0.0.1", port: int = 4318) -> None:
        self.store = store or SpanStore()
        super().__init__(Receiver(self.store), host, port, name="otlp-receiver", request_handler=_QuietHandler)
