"""A KafkaSink, locally: CloudEvents written to the sink's topic as Knative writes them."""

from __future__ import annotations

from learnflow.events import CloudEventMessage, KafkaRecord, to_binary, to_structured
from learnflow.local.manifests import KafkaSink
from learnflow.serverless import Publisher


class SinkWriter:
    """Writes events to one KafkaSink's topic; PublishError when Kafka does not take them."""

    def __init__(self, sink: KafkaSink, publisher: Publisher) -> None:
        self.sink = sink
        self.topic = sink.topic
        self._publisher = publisher

    def record(self, message: CloudEventMessage) -> KafkaRecord:
        """The record for the sink's content mode (binary unless the manifest says structured)."""
        if self.sink.content_mode == "structured":
            return to_structured(message)
        return to_binary(message)

    def write(self, message: CloudEventMessage) -> None:
        self._publisher.send_record(self.topic, self.record(message))
