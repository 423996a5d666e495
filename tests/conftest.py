"""Fixtures shared by every tier.

- ``kafka``: a real Kafka-protocol broker for the whole session (the embedded Tansu
  broker, or the Kafka named by KAFKA_BOOTSTRAP_SERVERS), topics created, always stopped.
- ``function_server``: start a function under functions-framework; stopped at teardown
  even when the test fails.
- ``fake_llm``: an OpenAI-compatible fake on 127.0.0.1, always stopped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from learnflow.events import all_topic_partitions
from learnflow.local._admin import ensure_topics
from learnflow.local._broker import EmbeddedBroker
from learnflow.local._function_server import FunctionServer
from learnflow.local.runtime.tracing import SERVICE_NAME as RUNTIME_SERVICE
from learnflow.local.traces import export_runtime_spans
from learnflow.serverless import BrokerKind, KafkaSettings, kafka_settings

from .support.fake_llm import FakeLLM
from .support.fuzzing import load_profile
from .support.kafka import KafkaProbe
from .support.processes import start_or_show_log

# Before any test module builds its @settings: they inherit from the profile loaded here.
load_profile()

# A process has one tracer provider for good, and the first to install it names every span
# it makes. A test process plays `learnflow up`'s process (it runs stacks' dispatchers and
# ingress), so it installs that one first, as `learnflow up` does, whatever file a worker
# happens to run first (an in-process function app would otherwise name it after itself).
export_runtime_spans(RUNTIME_SERVICE, None)


@pytest.fixture(autouse=True)
def _restore_environ() -> Iterator[None]:
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaSettings]:
    """Settings pointing at a live broker with every registry topic created."""
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        settings = kafka_settings()
        ensure_topics(settings, all_topic_partitions())
        yield settings
        return
    log = tmp_path_factory.mktemp("broker") / "tansu.log"
    with EmbeddedBroker(log_path=log) as broker:
        settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
        ensure_topics(settings, all_topic_partitions())
        yield settings


@pytest.fixture
def kafka_env(kafka: KafkaSettings) -> dict[str, str]:
    """Environment for a child process (a function server) that talks to the test broker."""
    return {
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_BROKER_KIND": kafka.broker_kind.value,
        "LEARNFLOW_PUBLISH_TIMEOUT_S": "5",
    }


@pytest.fixture
def kafka_probe(kafka: KafkaSettings) -> Iterator[KafkaProbe]:
    probe = KafkaProbe(kafka)
    yield probe
    probe.close()


@pytest.fixture
def function_server(tmp_path: Path) -> Iterator[Callable[..., FunctionServer]]:
    """Factory: ``function_server("triage", env={...})`` -> a started server."""
    started: list[FunctionServer] = []

    def start(folder: str, target: str = "handle", signature_type: str = "cloudevent", **kwargs: object) -> FunctionServer:
        log = tmp_path / f"{folder}-{target}.log"
        server = FunctionServer(folder, target, signature_type, log_path=log, **kwargs)  # type: ignore[arg-type]
        started.append(server)
        start_or_show_log(server, log)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """An OpenAI-compatible fake on 127.0.0.1, always stopped."""
    fake = FakeLLM().start()
    yield fake
    fake.stop()
