"""The ingress given poison keeps accepting good events, over a real socket.

Covered elsewhere (tests/unit/runtime/test_ingress.py): each CloudEvents shape and
refusal on its own (not a CloudEvent 400, invalid document written with a warning or,
strict, 400 with fields, Kafka down 503, unknown sink 404, methods other than POST 405).
tests/fuzz/test_in_process.py sends it random requests. Here: refusals in a row on one
running server, each followed by an event that must still be written; what is no
CloudEvent is refused in both modes, a CloudEvent whose data is no document only by the
strict ingress (the default writes it, as KafkaSink does).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from learnflow.events import KafkaRecord, PublishError
from learnflow.local.manifests import KafkaSink
from learnflow.local.runtime.ingress import Ingress, IngressServer
from learnflow.local.runtime.sink import SinkWriter

from ..support.seed import mutated, seed_document

SINK = KafkaSink(name="learning-events-ingress", namespace="learnflow", topic="learning-events", bootstrap_servers=("b:9092",))
STRUCTURED = {"content-type": "application/cloudevents+json"}


class FlakyPublisher:
    """Records what it is given; fails the sends it is told to, as Kafka being down would."""

    def __init__(self) -> None:
        self.records: list[tuple[str, KafkaRecord]] = []
        self.fail_next = 0

    def send_record(self, topic: str, record: KafkaRecord) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise PublishError(f"could not publish to {topic!r}: KafkaTimeoutError (injected)")
        self.records.append((topic, record))


@pytest.fixture(params=[False, True], ids=["kafkasink", "strict"])
def validate(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def ingress(validate: bool) -> Iterator[tuple[str, FlakyPublisher]]:
    publisher = FlakyPublisher()
    server = IngressServer(Ingress([SinkWriter(SINK, publisher)], validate=validate), port=0).start()  # type: ignore[arg-type]
    try:
        yield f"{server.url}/learnflow/learning-events-ingress", publisher
    finally:
        server.stop()


def _binary(doc: dict) -> tuple[dict[str, str], bytes]:
    return (
        {
            "ce-specversion": "1.0",
            "ce-id": doc["eventId"],
            "ce-type": doc["eventType"],
            "ce-source": "/frontend",
            "ce-partitionkey": doc["userId"],
            "content-type": "application/json",
        },
        json.dumps(doc).encode(),
    )


GOOD = _binary(seed_document("learning-event.json"))
NOT_A_DOCUMENT: dict[str, tuple[dict[str, str], bytes]] = {
    "invalid-document": _binary(mutated("learning-event.json", "data.attempts", -1)),
    "bad-utf8": (GOOD[0], b'{"eventId": "\xff"}'),
    "too-deep": (GOOD[0], b"[" * 100_000 + b"]" * 100_000),
}
NOT_A_CLOUDEVENT: dict[str, tuple[dict[str, str], bytes]] = {
    "not-a-cloudevent": ({"content-type": "application/json"}, b'{"hello": 1}'),
    "structured-too-deep": (STRUCTURED, b"[" * 100_000 + b"]" * 100_000),
    "structured-array": (STRUCTURED, b"[1, 2]"),
    "structured-bad-base64": (
        STRUCTURED,
        json.dumps({"specversion": "1.0", "id": "1", "type": "t", "source": "/s", "data_base64": 5}).encode(),
    ),
    "bad-attribute-name": (
        STRUCTURED,
        json.dumps({"specversion": "1.0", "id": "1", "type": "t", "source": "/s", "Bad Name": "x", "data": {}}).encode(),
    ),
}


def test_poison_after_poison_and_good_events_still_get_through(ingress: tuple[str, FlakyPublisher], validate: bool) -> None:
    url, publisher = ingress
    refused_here = {**NOT_A_CLOUDEVENT, **(NOT_A_DOCUMENT if validate else {})}
    written_here = {} if validate else NOT_A_DOCUMENT
    with httpx.Client(timeout=10) as client:
        for name, (headers, body) in {**refused_here, **written_here}.items():
            answer = client.post(url, headers=headers, content=body)
            if name in refused_here:
                assert answer.status_code == 400, (name, answer.text)
                assert answer.json()["reason"], name
            else:
                assert answer.status_code == 202, (name, answer.text)
            accepted = client.post(url, headers=GOOD[0], content=GOOD[1])
            assert accepted.status_code == 202, (name, accepted.text)
    expected = len(refused_here) + 2 * len(written_here)
    assert len(publisher.records) == expected, "the good events, and no refused one, were written"


def test_kafka_down_for_one_event_is_503_and_the_next_is_written(ingress: tuple[str, FlakyPublisher]) -> None:
    url, publisher = ingress
    publisher.fail_next = 1
    with httpx.Client(timeout=10) as client:
        down = client.post(url, headers=GOOD[0], content=GOOD[1])
        assert down.status_code == 503 and "KafkaTimeoutError" in down.json()["reason"]
        assert client.post(url, headers=GOOD[0], content=GOOD[1]).status_code == 202
    assert len(publisher.records) == 1
