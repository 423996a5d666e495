"""Driving the functions as the cluster does, for the e2e tests that chain them.

A test starts function servers (``function_server``, tests/conftest.py), POSTs an
event to one as a producer would (binary-mode CloudEvent), plays the dispatcher by
POSTing a record read from a topic as KafkaSource delivers it, and waits for the
follow-up a function published, found by its deterministic eventId.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from learnflow.events import Envelope, KafkaRecord, follow_up_id, to_binary_http, to_cloudevent
from learnflow.local._function_server import FunctionServer
from learnflow.local.runtime.events import RecordOrigin, message_from_record

from .kafka import KafkaProbe

StartServer = Callable[..., FunctionServer]
"""The ``function_server`` fixture: ``function_server("triage", env={...})`` -> a started server."""


def post_event(server: FunctionServer, event: Envelope, source: str = "/tests", timeout: float = 60) -> httpx.Response:
    """POST ``event`` to a function as a producer's binary-mode CloudEvent."""
    headers, body = to_binary_http(to_cloudevent(event, source))
    return httpx.post(server.url, headers=headers, content=body, timeout=timeout)


def deliver(record: KafkaRecord, topic: str, server: FunctionServer) -> httpx.Response:
    """POST a Kafka record as the dispatcher delivers it (binary-mode CloudEvent)."""
    # Where the record sits only matters to a record KafkaSource has to wrap; the probe does not say.
    origin = RecordOrigin("learnflow", server.folder, topic, 0, 0, None)
    headers, body = to_binary_http(message_from_record(record, origin))
    return httpx.post(server.url, headers=headers, content=body, timeout=60)


def follow_up_record(probe: KafkaProbe, topic: str, cause_id: uuid.UUID, producer: str, timeout: float = 30) -> KafkaRecord:
    """The one record ``producer`` published on ``topic`` in answer to the event ``cause_id``."""
    expected = str(follow_up_id(cause_id, producer))
    (record,) = probe.wait_for(topic, lambda r: r.header_text("ce_id") == expected, timeout=timeout)
    return record
