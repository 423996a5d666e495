"""A Kafka-protocol front for the embedded broker, so that a waiting Fetch wakes on a write.

Tansu answers a waiting Fetch only when its timer looks again (at half the remaining wait),
never when a record arrives. The front sits between the clients and Tansu, relays every
request and answer unchanged, and holds a Fetch that has nothing to read until a Produce
writes to one of its partitions or the client's wait runs out. Clients then see what Apache
Kafka gives them: an answer as soon as a record they asked for is written, and not before
their wait otherwise. A part of the local toolkit only; a cluster runs Apache Kafka.

``python -m learnflow.local.broker_front --listen HOST:PORT --upstream HOST:PORT`` runs it.
"""

from __future__ import annotations

from learnflow.local.broker_front._server import Front

__all__ = ["Front"]
