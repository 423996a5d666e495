"""The KafkaSinks of eventing/, locally: POST a CloudEvent, get it on the sink's topic.

Paths follow Knative's Kafka sink ingress, ``/<namespace>/<sink-name>``. Like the
cluster's ingress it answers 202 once the record is written, 400 to a request that is
not a CloudEvent, and 503 when Kafka does not take it; the key comes from the
``partitionkey`` extension. Unlike it, the seed document is validated against the
topic's contract first, so a malformed event is refused at the door with its field
errors instead of travelling to a dead-letter queue.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Mapping

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from learnflow.events import CloudEventMessage, InvalidEvent, NotACloudEvent, PublishError, UnknownTopic, from_http, get_topic
from learnflow.local import _metrics as metrics
from learnflow.local.runtime.sink import SinkWriter

log = logging.getLogger(__name__)


def _json(status: int, body: dict[str, object]) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


class Ingress:
    """A WSGI app routing ``/<namespace>/<sink>`` to each sink's writer."""

    def __init__(self, writers: Iterable[SinkWriter]) -> None:
        self.routes: dict[str, SinkWriter] = {f"/{w.sink.namespace}/{w.sink.name}": w for w in writers}

    def __call__(self, environ: Mapping[str, object], start_response: object) -> Iterable[bytes]:
        request = Request(environ)  # type: ignore[arg-type]
        response = self.handle(request)
        return response(environ, start_response)  # type: ignore[arg-type]

    def handle(self, request: Request) -> Response:
        writer = self.routes.get(request.path.rstrip("/"))
        if writer is None:
            return _json(404, {"error": "no such sink", "sinks": sorted(self.routes)})
        if request.method != "POST":
            return Response(status=405, headers={"Allow": "POST"})
        response = self._produce(writer, request.headers, request.get_data())
        metrics.INGRESS_REQUESTS.labels(writer.sink.name, str(response.status_code)).inc()
        return response

    def _produce(self, writer: SinkWriter, headers: Mapping[str, str], body: bytes) -> Response:
        try:
            message = from_http(dict(headers), body)
            self._validate(writer, message)
        except NotACloudEvent as exc:
            return _json(400, {"error": "not_a_cloudevent", "reason": str(exc)})
        except InvalidEvent as exc:
            fields = [{"path": e.path, "reason": e.reason} for e in exc.errors]
            return _json(400, {"error": "invalid_event", "reason": exc.reason, "fields": fields})
        try:
            writer.write(message)
        except PublishError as exc:
            log.error("ingress %s: %s", writer.sink.name, exc)
            return _json(503, {"error": "kafka_unavailable", "reason": str(exc)})
        return Response(status=202)

    @staticmethod
    def _validate(writer: SinkWriter, message: CloudEventMessage) -> None:
        try:
            topic = get_topic(writer.topic)
        except UnknownTopic:
            return  # a sink to a topic without a contract carries anything, as in the cluster
        if message.data is None:
            raise InvalidEvent.single("data", "the CloudEvent carries no data")
        topic.parse(message.data)


class IngressServer:
    """The ingress on a port, served from a background thread."""

    def __init__(self, ingress: Ingress, host: str = "127.0.0.1", port: int = 8080) -> None:
        self.ingress = ingress
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> IngressServer:
        self._server = make_server(self.host, self.port, self.ingress, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="ingress", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
