"""The offsets exporter: consumer lag, throughput, DLQ depth and dead-letter arrivals,
read from broker offsets, so it measures any consumer of our topics (Knative's
dispatcher in a cluster, ours on a laptop). ``learnflow monitor`` runs it alone;
``learnflow up`` embeds it.
"""

from learnflow.local.exporter._model import (
    GroupSpec,
    OffsetsSnapshot,
    OffsetsState,
    Readings,
    Watch,
    parse_group_spec,
    partition_lag,
)
from learnflow.local.exporter._reader import KafkaOffsetReader, OffsetsReadError
from learnflow.local.exporter._service import OffsetsExporter, OffsetSource

__all__ = [
    "GroupSpec",
    "KafkaOffsetReader",
    "OffsetSource",
    "OffsetsExporter",
    "OffsetsReadError",
    "OffsetsSnapshot",
    "OffsetsState",
    "Readings",
    "Watch",
    "parse_group_spec",
    "partition_lag",
]
