"""The typed objects the manifests declare, as the local runtime consumes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from learnflow.events import ConfigurationError


@dataclass(frozen=True)
class KafkaTopic:
    name: str
    namespace: str
    partitions: int
    replicas: int
    config: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class KafkaSink:
    name: str
    namespace: str
    topic: str
    bootstrap_servers: tuple[str, ...]
    content_mode: str


@dataclass(frozen=True)
class Destination:
    """A KafkaSource sink: a Knative Service, addressed by name (plus a path)."""

    service: str
    namespace: str
    path: str = "/"

    @property
    def url(self) -> str:
        return f"http://{self.service}.{self.namespace}.svc.cluster.local{self.path}"


@dataclass(frozen=True)
class Delivery:
    retry: int
    backoff_policy: str
    backoff_delay: float  # seconds
    timeout: float  # seconds, per attempt
    dead_letter_sink: KafkaSink

    def backoff(self, retry: int) -> float:
        """Seconds the Kafka dispatcher waits before retry ``retry`` (1-based)."""
        if self.backoff_policy == "linear":
            return self.backoff_delay * retry
        return self.backoff_delay * 2**retry


@dataclass(frozen=True)
class KafkaSource:
    name: str
    namespace: str
    topics: tuple[str, ...]
    bootstrap_servers: tuple[str, ...]
    consumer_group: str
    initial_offset: str
    ordering: str
    consumers: int
    sink: Destination
    delivery: Delivery


@dataclass(frozen=True)
class Eventing:
    topics: dict[str, KafkaTopic]
    sinks: dict[str, KafkaSink]
    sources: dict[str, KafkaSource]

    def source_for(self, topic: str) -> KafkaSource:
        for s in self.sources.values():
            if topic in s.topics:
                return s
        raise ConfigurationError(f"no KafkaSource reads topic {topic!r}")


@dataclass(frozen=True)
class KnativeService:
    name: str
    namespace: str
    env: dict[str, str]  # literal values only; valueFrom entries are left out
    container_concurrency: int  # 0 means unlimited
    timeout_seconds: int
    min_scale: int
    max_scale: int  # 0 means unbounded

    @property
    def target(self) -> str:
        return self.env.get("FUNCTION_TARGET", "")

    @property
    def signature_type(self) -> str:
        return self.env.get("FUNCTION_SIGNATURE_TYPE", "http")

    @property
    def source(self) -> str:
        return self.env.get("FUNCTION_SOURCE", "")


@dataclass(frozen=True)
class Knative:
    services: dict[str, KnativeService]
