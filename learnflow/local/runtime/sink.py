"""A KafkaSink, locally: CloudEvents written to the sink's topic as Knative writes them."""

from __future__ import annotations

import base64
import json

from learnflow.events import STRUCTURED, KafkaRecord
from learnflow.local.manifests import KafkaSink
from learnflow.local.runtime.events import CloudEventMessage
from learnflow.serverless import Publisher


class SinkWriter:
    """Writes events to one KafkaSink's topic; PublishError when Kafka does not take them."""

    def __init__(self, sink: KafkaSink, publisher: Publisher) -> None:
        self.sink = sink
        self.topic = sink.topic
        self._publisher = publisher

    def record(self, message: CloudEventMessage) -> KafkaRecord:
        """The record for the sink's content mode (binary unless the manifest says structured)."""
        if self.sink.content_mode != "structured":
            return message.to_kafka()
        envelope: dict[str, object] = dict(message.attributes)
        key = envelope.pop("partitionkey", None)
        if message.data is not None:
            try:
                envelope["data"] = json.loads(message.data)
            except ValueError:
                envelope["data_base64"] = base64.b64encode(message.data).decode("ascii")
        value = json.dumps(envelope).encode()
        return KafkaRecord(str(key).encode() if key else None, value, [("content-type", STRUCTURED.encode())])

    def write(self, message: CloudEventMessage) -> None:
        self._publisher.send_record(self.topic, self.record(message))
