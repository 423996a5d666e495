"""A gateway process on the test broker, stopped by PID at teardown even when a test fails.

``gateway`` is one per module (streams of different learners never meet, so tests share
it); ``start_gateway`` starts one of a test's own (restarts, another configuration).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from kafka import KafkaProducer

from learnflow.events import Envelope, to_record, topic_of
from learnflow.gateway import mint_token
from learnflow.local._gateway_server import GatewayServer, dev_environment
from learnflow.serverless import KafkaSettings

from ...support.processes import start_or_show_log

KEY = "test-signing-key-" + "x" * 32


@dataclass
class Learner:
    user_id: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_learner() -> Learner:
    user_id = uuid.uuid4()
    return Learner(user_id, mint_token(user_id, KEY, now=time.time(), ttl_s=3600))


class Writer:
    """Writes events as their producers do (binary CloudEvents, keyed by userId), with
    strictly increasing record timestamps, so that write order is unambiguous across topics."""

    def __init__(self, settings: KafkaSettings) -> None:
        self._producer = KafkaProducer(**settings.producer_config(linger_ms=0))
        self._clock = int(time.time() * 1000)

    def write(self, *events: Envelope, source: str = "/learnflow/test") -> None:
        for event in events:
            self._clock = max(self._clock + 1, int(time.time() * 1000))
            record = to_record(event, source)
            future = self._producer.send(
                topic_of(event).name, value=record.value, key=record.key, headers=record.headers, timestamp_ms=self._clock
            )
            future.get(timeout=10)

    def close(self) -> None:
        self._producer.close(timeout=5)


def gateway_env(kafka_env: dict[str, str], **extra: str) -> dict[str, str]:
    return {**dev_environment(kafka_env, jwt_key=KEY), **extra}


@pytest.fixture
def start_gateway(kafka_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., GatewayServer]]:
    started: list[GatewayServer] = []

    def start(port: int | None = None, **extra: str) -> GatewayServer:
        log = tmp_path / f"gateway-{len(started)}.log"
        server = GatewayServer(port=port, env=gateway_env(kafka_env, **extra), log_path=log)
        started.append(server)
        start_or_show_log(server, log)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def gateway(kafka: KafkaSettings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayServer]:
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers, "KAFKA_BROKER_KIND": kafka.broker_kind.value}
    log = tmp_path_factory.mktemp("gateway") / "gateway.log"
    server = GatewayServer(env=gateway_env(env), log_path=log)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def client(gateway: GatewayServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway.url, timeout=15) as http:
        yield http


@pytest.fixture
def writer(kafka: KafkaSettings) -> Iterator[Writer]:
    w = Writer(kafka)
    yield w
    w.close()
