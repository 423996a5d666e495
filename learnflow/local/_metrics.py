"""The Prometheus metrics of delivery and broker offsets, defined once.

Names follow the seed where it names them (``kafka_consumer_lag``,
``kafka_messages_per_second``, ``kafka_consumer_errors``); prometheus-client appends
``_total`` to counters on exposition, so ``kafka_consumer_errors`` is scraped as
``kafka_consumer_errors_total``. Broker-derived metrics (lag, throughput, DLQ depth)
are set by the offsets exporter, so they read the same for Knative's dispatcher in a
cluster and for ours on a laptop; delivery metrics are recorded by the local dispatcher;
the functions record their own few in their own process.
"""

from __future__ import annotations

from enum import StrEnum

from prometheus_client import Counter, Gauge, Histogram

# -- From broker offsets (the exporter) ---------------------------------------------

CONSUMER_LAG = Gauge(
    "kafka_consumer_lag",
    "High watermark minus committed offset, per partition and consumer group.",
    ["topic", "partition", "consumer_group"],
)
MESSAGES_PER_SECOND = Gauge(
    "kafka_messages_per_second",
    "Records appended to the topic per second, over a sliding window.",
    ["topic"],
)
MESSAGES = Counter(
    "kafka_messages",
    "Records appended to the topic since the exporter started (use rate()).",
    ["topic"],
)
DLQ_DEPTH = Gauge(
    "learnflow_dlq_depth",
    "Records held in the dead-letter topic of a topic.",
    ["topic"],
)
EXPORTER_READ_ERRORS = Counter(
    "learnflow_exporter_read_errors",
    "Offset reads the exporter could not make (Kafka unreachable or refusing); the figures above are then stale.",
)


class ErrorReason(StrEnum):
    """Why a delivery failed: the ``reason`` label of ``kafka_consumer_errors``."""

    RETRYABLE_STATUS = "retryable_status"  # 5xx, 404, 408, 409, 429
    NON_RETRYABLE_STATUS = "non_retryable_status"  # any other 4xx or 3xx
    TIMEOUT = "timeout"  # no answer within delivery.timeout
    CONNECTION = "connection"  # refused, reset, DNS
    DEAD_LETTER_WRITE = "dead_letter_write"  # the dead-letter sink did not take it
    DEAD_LETTERED = "dead_lettered"  # an arrival on {topic}.dlq, seen from offsets


CONSUMER_ERRORS = Counter(
    "kafka_consumer_errors",
    "Delivery failures by class, and dead-letter arrivals.",
    ["topic", "reason"],
)

# -- From the local dispatcher -------------------------------------------------------

DELIVERIES = Counter(
    "learnflow_deliveries",
    "Records finished by a dispatcher, by outcome (delivered or dead_lettered).",
    ["topic", "consumer_group", "outcome"],
)
RETRIES = Counter(
    "learnflow_delivery_retries",
    "Retries made after a retryable failure.",
    ["topic", "consumer_group"],
)
IN_FLIGHT = Gauge(
    "learnflow_delivery_in_flight",
    "Records a dispatcher has taken and not yet delivered or dead-lettered. At an unordered source's "
    "bound (learnflow_delivery_in_flight_limit) with lag growing, submissions are queueing for a sandbox.",
    ["topic", "consumer_group"],
)
IN_FLIGHT_LIMIT = Gauge(
    "learnflow_delivery_in_flight_limit",
    "The most records a dispatcher keeps in flight: max.poll.records for an unordered source, 1 per partition "
    "for an ordered one.",
    ["topic", "consumer_group"],
)
DELIVERY_LATENCY = Histogram(
    "learnflow_delivery_latency_seconds",
    "From the record's append time to its successful delivery, retries included.",
    ["topic"],
    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
FUNCTION_REQUESTS = Counter(
    "learnflow_function_requests",
    "HTTP deliveries to a function, by outcome (2xx, 4xx, 5xx, timeout, connection).",
    ["function", "outcome"],
)
FUNCTION_DURATION = Histogram(
    "learnflow_function_request_duration_seconds",
    "Duration of one HTTP delivery to a function.",
    ["function"],
    buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
FUNCTION_RESTARTS = Counter(
    "learnflow_function_restarts",
    "Times the local runtime restarted a function process that had died.",
    ["function"],
)
INGRESS_REQUESTS = Counter(
    "learnflow_ingress_requests",
    "CloudEvents POSTed to the local KafkaSink ingress, by sink and status code.",
    ["sink", "code"],
)
