"""The offsets exporter: consumer lag, throughput, DLQ depth and dead-letter arrivals,
read from broker offsets, so it measures any consumer of our topics (Knative's
dispatcher in a cluster, ours on a laptop). ``learnflow monitor`` runs it alone;
``learnflow up`` embeds it.
"""

from ._model import (
    GroupSpec,
    OffsetsSnapshot,
    OffsetsState,
    Readings,
    Watch,
    parse_group_spec,
    partition_lag,
)
from ._reader import KafkaOffsetReader, OffsetsReadError
from ._service import OffsetsExporter, OffsetSource

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
