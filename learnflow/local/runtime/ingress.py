"""The KafkaSinks of eventing/, locally: POST a CloudEvent, get it on the sink's topic.

Paths follow Knative's Kafka sink ingress, ``/<namespace>/<sink-name>``, and so do the
answers (knative-extensions/eventing-kafka-broker at 7d8fe89, under
data-plane/receiver/src/main/java/dev/knative/eventing/kafka/broker/receiver/:
impl/ReceiverVerticle.java, impl/handler/MethodNotAllowedHandler.java, impl/handler/AuthHandler.java,
impl/handler/IngressRequestHandlerImpl.java): 404 for a path no sink has, 405 for a
method other than POST, 400 to a request that is not a CloudEvent, 202 once the record is
written, 503 when Kafka does not take it. The record is the one KafkaSink writes: binary
mode unless the sink says structured, keyed by the ``partitionkey`` extension, unkeyed
without one (receiver/main/Main.java installs the SDK's PartitionKeyExtensionInterceptor).

A KafkaSink knows no contract, so an event whose data is not a document of the topic is
written all the same; in the cluster its function then answers 400 and it lands on the
dead-letter topic. Here too, and the early hint survives as one WARNING line naming the
field errors and that function. ``validate=True`` (``learnflow up --validate-ingress``)
refuses such an event at the door instead, with 400 and its field errors, which no
cluster does.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from learnflow.events import CloudEventMessage, InvalidEvent, NotACloudEvent, PublishError, UnknownTopic, from_http, get_topic
from learnflow.local import _metrics as metrics
from learnflow.local._wsgi_thread import ThreadedWsgiServer
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.tracing import continued

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Consumer:
    """Who reads a sink's topic: the Service that refuses a bad event, and where the event goes then."""

    service: str
    dead_letter_topic: str


def contract_problem(topic: str, message: CloudEventMessage) -> InvalidEvent | None:
    """Why the function reading ``topic`` will refuse this event's data; None if it will not.

    A topic without a contract carries anything, as in the cluster.
    """
    try:
        contract = get_topic(topic)
    except UnknownTopic:
        return None
    if message.data is None:
        return InvalidEvent.single("data", "the CloudEvent carries no data")
    try:
        contract.parse(message.data)
    except InvalidEvent as exc:
        return exc
    return None


def _json(status: int, body: dict[str, object]) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


class Ingress:
    """A WSGI app routing ``/<namespace>/<sink>`` to each sink's writer.

    ``consumers`` maps a topic to its reader, for the warning about an invalid document;
    ``validate`` refuses such a document instead of writing it.
    """

    def __init__(
        self, writers: Iterable[SinkWriter], *, consumers: Mapping[str, Consumer] | None = None, validate: bool = False
    ) -> None:
        self.routes: dict[str, SinkWriter] = {f"/{w.sink.namespace}/{w.sink.name}": w for w in writers}
        self.consumers = dict(consumers or {})
        self.validate = validate

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
        response = self._produce(writer, dict(request.headers), request.get_data())
        metrics.INGRESS_REQUESTS.labels(writer.sink.name, str(response.status_code)).inc()
        return response

    def _produce(self, writer: SinkWriter, headers: Mapping[str, str], body: bytes) -> Response:
        try:
            message = from_http(headers, body)
        except NotACloudEvent as exc:
            return _json(400, {"error": "not_a_cloudevent", "reason": str(exc)})
        problem = contract_problem(writer.topic, message)
        if problem is not None:
            if self.validate:
                fields = [{"path": e.path, "reason": e.reason} for e in problem.errors]
                return _json(400, {"error": "invalid_event", "reason": problem.reason, "fields": fields})
            log.warning("%s", self._written_anyway(writer, message, problem))
        try:
            with continued(headers, message.attributes):  # the record carries the request's trace on
                writer.write(message)
        except PublishError as exc:
            log.error("ingress %s: %s", writer.sink.name, exc)
            return _json(503, {"error": "kafka_unavailable", "reason": str(exc)})
        return Response(status=202)

    def _written_anyway(self, writer: SinkWriter, message: CloudEventMessage, problem: InvalidEvent) -> str:
        consumer = self.consumers.get(writer.topic)
        fate = (
            f"{consumer.service} will answer 400 and it will land on {consumer.dead_letter_topic}"
            if consumer
            else "no KafkaSource reads it"
        )
        return (
            f"ingress {writer.sink.name}: event {message.id!r} ({message.type}) is not a valid {writer.topic} "
            f"document ({problem.reason}); written as KafkaSink writes it: {fate} "
            "(learnflow up --validate-ingress refuses it here)"
        )


class IngressServer(ThreadedWsgiServer):
    """The ingress on a port, served from a background thread."""

    def __init__(self, ingress: Ingress, host: str = "127.0.0.1", port: int = 8080) -> None:
        super().__init__(ingress, host, port, name="ingress")
        self.ingress = ingress
