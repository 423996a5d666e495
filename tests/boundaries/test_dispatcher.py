"""The dispatcher given records it cannot deliver: each is dead-lettered with why, and the next ones still flow.

Covered elsewhere (tests/integration/test_dispatcher.py): retryable and non-retryable
statuses, timeouts, a plain record wrapped like KafkaSource, order kept while one event
fails, no loss while the dead-letter sink is down. tests/fuzz/test_dispatcher_records.py
sends a batch of random records through the real triage function. Here: on ONE
partition, so a stuck record would stop everything behind it, a poison event, a record
whose delivery raises inside the dispatcher itself, and a record with headers no HTTP
request can carry (found by fuzzing: it used to kill the partition's worker) — then the
good records behind them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest

from learnflow.events import CloudEventMessage, KafkaRecord, to_binary
from learnflow.local.runtime.policy import Attempt
from learnflow.local.runtime.sender import Sender

from ..support.dispatch import ScriptedRun
from ..support.kafka import KafkaProbe

EXPLODE = "explode-1"


def test_undeliverable_records_do_not_stop_the_partition(
    scripted_run: Callable[..., ScriptedRun],
    kafka_probe: KafkaProbe,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = Sender.attempt

    def attempt(self: Sender, message: CloudEventMessage) -> Attempt:
        if message.id == EXPLODE:  # stands for any bug or input nobody foresaw, inside the dispatcher
            raise RuntimeError("injected failure while sending")
        return original(self, message)

    monkeypatch.setattr(Sender, "attempt", attempt)
    run = scripted_run(partitions=1)
    run.start()
    poison = run.send({"script": [400]})
    run.send({"seq": 0}, event_id=EXPLODE)
    # Binary mode with a value HTTP cannot carry (not Latin-1) and a name no CloudEvent may have.
    odd = to_binary(
        CloudEventMessage(
            {
                "specversion": "1.0",
                "id": "odd-1",
                "type": "test.scripted",
                "source": "/tests",
                "datacontenttype": "application/json",
            },
            json.dumps({"seq": -1}).encode(),
        )
    )
    run.publisher.send_record(
        run.topic, KafkaRecord(b"user-1", odd.value, [*odd.headers, ("ce_übung", "ü€".encode()), ("ce_a b", b"\xff")])
    )
    good = [run.send({"seq": i}) for i in range(1, 6)]

    delivered = run.wait_calls(lambda c: c["id"] in good and c["status"] == 200, len(good))
    assert sorted(c["seq"] for c in delivered) == [1, 2, 3, 4, 5], "records behind the undeliverable ones were not delivered"
    assert sum(run.wait_committed(8).values()) == 8, "offsets did not reach the end"

    letters = {r.header_text("ce_id"): r for r in kafka_probe.wait_for(f"{run.topic}.dlq", lambda r: True, count=2)}
    assert letters[poison].header_text("ce_knativeerrorcode") == "400"
    assert letters[poison].header_text("ce_reason") == "scripted 400"
    exploded = letters[EXPLODE]
    reason = base64.b64decode(exploded.header_text("ce_knativeerrordata") or "").decode()
    assert reason == "undeliverable: RuntimeError: injected failure while sending"
    # The odd record was an invalid CloudEvent, delivered wrapped as KafkaSource wraps one.
    wrapped = run.wait_calls(lambda c: c["seq"] == -1, 1)
    assert wrapped and wrapped[0]["type"] == "dev.knative.kafka.event" and wrapped[0]["status"] == 200
