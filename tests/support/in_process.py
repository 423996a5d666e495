"""A function app in this process, with only the Kafka producer faked.

The app is built by functions-framework's own loader (``create_app``) from the real
``main.py``; decoding, the domain code, the publisher and the codec all run. The app is
given a publisher whose producer at the bottom records what would have gone to Kafka.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient
from functions_framework import create_app
from kafka.errors import KafkaTimeoutError

from learnflow.events import Envelope, KafkaRecord, Topic, from_record, to_binary_http, to_cloudevent
from learnflow.local._function_server import function_source
from learnflow.serverless import Publisher, kafka_settings, use_publisher


class _Ack:
    def __init__(self, error: Exception | None) -> None:
        self._error = error

    def get(self, timeout: float | None = None) -> None:
        if self._error is not None:
            raise self._error


@dataclass
class RecordingProducer:
    """A kafka-python producer stand-in: keeps every record, or fails every send."""

    fail: bool = False
    sent: list[tuple[str, KafkaRecord]] = field(default_factory=list)

    def send(self, topic: str, value: Any = None, key: Any = None, headers: Any = None) -> _Ack:
        if self.fail:
            return _Ack(KafkaTimeoutError("broker unreachable (fake)"))
        self.sent.append((topic, KafkaRecord(key, value, list(headers or []))))
        return _Ack(None)

    def flush(self, timeout: float | None = None) -> None:
        pass

    def close(self, timeout: float | None = None) -> None:
        pass

    def events(self, topic: Topic) -> list[Envelope]:
        return [from_record(record, topic) for name, record in self.sent if name == topic.name]


def function_client(folder: str, producer: RecordingProducer) -> FlaskClient:
    """A test client of ``functions/<folder>/main.py:handle`` publishing into ``producer``.

    ``folder`` is also the function's producer name (triage, concepts), which keys its publisher.
    """
    app = create_app("handle", str(function_source(folder)), "cloudevent")
    use_publisher(app, Publisher(folder, kafka_settings(), lambda _settings: producer))
    return app.test_client()


def post_event(client: FlaskClient, event: Envelope, source: str = "/tests") -> Any:
    headers, body = to_binary_http(to_cloudevent(event, source))
    return client.post("/", headers=headers, data=body)
