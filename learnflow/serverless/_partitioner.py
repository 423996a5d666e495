"""Where Kafka's default partitioner puts a keyed record: a learner's events share one partition.

murmur2 of the key, as Java's client, kafka-python and librdkafka's ``murmur2_random`` do,
so a reader can find a learner's partition without asking the broker.
"""

from __future__ import annotations

from kafka.partitioner.default import murmur2


def partition_for(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner gives ``key`` among ``partitions``."""
    return int(murmur2(key) & 0x7FFFFFFF) % partitions
