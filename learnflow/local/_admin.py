"""Topic administration: create what the registry (or the manifests) declare."""

from __future__ import annotations

import time
from collections.abc import Mapping

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from learnflow.events import BrokerError
from learnflow.local._backoff import Backoff
from learnflow.serverless import KafkaSettings


def ensure_topics(
    settings: KafkaSettings, partitions: Mapping[str, int], replication: int = 1, timeout: float = 20.0
) -> list[str]:
    """Create each missing topic with its partition count; return the names created.

    Topics are always created explicitly: the embedded broker would auto-create a
    topic on first use with 4 partitions, whatever the manifests say.
    """
    deadline = time.monotonic() + timeout
    backoff = Backoff(first=0.2, ceiling=1.0)
    while True:
        try:
            admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_list, request_timeout_ms=5000)
            break
        except KafkaError as exc:
            if time.monotonic() > deadline:
                raise BrokerError(f"cannot reach Kafka at {settings.bootstrap_servers}: {exc}") from exc
            time.sleep(backoff.next_delay())
    try:
        existing = set(admin.list_topics())
        missing = [NewTopic(name, n, replication) for name, n in partitions.items() if name not in existing]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another process won the race; the topic is what we wanted
        return [t.name for t in missing]
    finally:
        admin.close()
