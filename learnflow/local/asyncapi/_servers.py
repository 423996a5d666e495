"""Where the topics live: the cluster's Kafka, and the embedded broker on a laptop."""

from __future__ import annotations

from typing import Any

from learnflow.local._broker import HOST

LOCAL_PORT = 9092
"""The default of ``learnflow up --broker-port`` and ``learnflow broker --port`` (a test keeps them equal)."""


def servers(bootstrap: str) -> dict[str, Any]:
    """``bootstrap`` is the address the KafkaSources and KafkaSinks name."""
    return {
        "cluster": {
            "host": bootstrap,
            "protocol": "kafka",
            "title": "The cluster's Kafka",
            "summary": "Strimzi's Kafka learnflow-kafka (namespace kafka), plain listener, no authentication.",
            "description": (
                "The bootstrap address of the seed's Dapr Component, which every KafkaSource and KafkaSink of "
                "eventing/ names. The listener has no authentication (the seed's authType none), so it is "
                "reachable from inside the cluster only. Topics are Strimzi KafkaTopics (eventing/topics)."
            ),
        },
        "local": {
            "host": f"{HOST}:{{port}}",
            "protocol": "kafka",
            "title": "The embedded broker",
            "summary": "Tansu, in memory, started by `learnflow up` (make run) or `learnflow broker`.",
            "description": (
                "It gets every topic of the registry, one replica each, and the local runtime delivers them as "
                "the KafkaSources declare: the same consumer groups, retries, backoff and dead-letter topics."
            ),
            "variables": {
                "port": {
                    "default": str(LOCAL_PORT),
                    "description": "`learnflow up --broker-port` or `learnflow broker --port` (LEARNFLOW_BROKER_PORT).",
                }
            },
        },
    }
