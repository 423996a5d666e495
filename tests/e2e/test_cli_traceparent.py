"""Every record the stack's commands write carries ``traceparent``: publish, simulate, dlq replay.

The commands run as the ``learnflow`` program in a process of their own, as an operator
runs them: in this test process some tracer provider is installed already, which would
hide a command that installs none (its ``send`` spans would then inject nothing).
A replayed dead letter continues the trace it names; one that names none starts one.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
import uuid
from pathlib import Path

from kafka import KafkaProducer

from learnflow.events import KafkaRecord, all_topic_partitions
from learnflow.local._simulation import sessions
from learnflow.serverless import KafkaSettings

from ..support.kafka import KafkaProbe
from ..support.seed import seed_document

LEARNFLOW = Path(sys.executable).with_name("learnflow")


def _traceparent(record: KafkaRecord) -> list[str]:
    """The W3C traceparent's fields, or [] when the record carries none."""
    value = record.header_text("traceparent") or ""
    fields = value.split("-")
    return fields if len(fields) == 4 and len(fields[1]) == 32 and fields[1] != "0" * 32 else []


def _run(kafka: KafkaSettings, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # No OTEL_* from the test's environment: the commands' defaults (trace, export nothing).
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    command = [str(LEARNFLOW), *args, "--bootstrap-servers", kafka.bootstrap_servers]
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_learnflow_publish_writes_traceparent(kafka: KafkaSettings, kafka_probe: KafkaProbe) -> None:
    docs = [seed_document("code-submitted.json") for _ in range(2)]
    for doc in docs:
        doc["eventId"] = str(uuid.uuid4())
    _run(kafka, "publish", "-", stdin=json.dumps(docs))
    for doc in docs:
        [record] = kafka_probe.wait_for("code-submitted", lambda r, i=doc["eventId"]: r.header_text("ce_id") == i)
        assert _traceparent(record), "publish starts a trace per record"
    traces = {
        _traceparent(r)[1]
        for r in kafka_probe.records("code-submitted")
        if r.header_text("ce_id") in {d["eventId"] for d in docs}
    }
    assert len(traces) == 2, "one trace per published record, as per submission"


def test_learnflow_simulate_writes_traceparent_on_every_record(kafka: KafkaSettings, kafka_probe: KafkaProbe) -> None:
    seed, learners, total = random.randrange(1 << 30), 3, 10
    keys = {event.key for event in itertools.islice(sessions(learners, seed), total)}
    _run(
        kafka,
        "simulate",
        "--learners",
        str(learners),
        "--duration",
        "1",
        "--rate",
        str(total),
        "--seed",
        str(seed),
        "--settle",
        "0",
    )
    topics = sorted(all_topic_partitions())
    written = [r for t in topics for r in kafka_probe.records(t) if r.key in keys]
    # A one-second run at 10/s sends about 10: on a loaded machine a few fewer. Whatever it
    # wrote must carry a trace.
    assert 0 < len(written) <= total
    assert all(_traceparent(r) for r in written)


def test_learnflow_dlq_replay_keeps_the_dead_letters_trace(kafka: KafkaSettings, kafka_probe: KafkaProbe) -> None:
    topic = "code-submitted"
    traced_id, untraced_id = str(uuid.uuid4()), str(uuid.uuid4())
    trace_id = uuid.uuid4().hex
    producer = KafkaProducer(**kafka.producer_config())
    try:
        for event_id, extra in (
            (traced_id, [("traceparent", f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01".encode())]),
            (untraced_id, []),
        ):
            headers = [("ce_id", event_id.encode()), ("ce_type", "learnflow.code.submitted"), ("ce_knativeerrorcode", b"422")]
            producer.send(
                f"{topic}.dlq",
                value=b"{}",
                key=b"user-replay",
                headers=[(k, v if isinstance(v, bytes) else v.encode()) for k, v in headers] + extra,
            ).get(10)
    finally:
        producer.close()
    for event_id in (traced_id, untraced_id):
        _run(kafka, "dlq", "replay", topic, "--filter", f"id={event_id}")
    [traced] = kafka_probe.wait_for(topic, lambda r: r.header_text("ce_id") == traced_id)
    [untraced] = kafka_probe.wait_for(topic, lambda r: r.header_text("ce_id") == untraced_id)
    assert _traceparent(traced)[1] == trace_id, "the replay continues the dead letter's trace"
    assert _traceparent(untraced), "a dead letter with no trace is replayed in a new one"
