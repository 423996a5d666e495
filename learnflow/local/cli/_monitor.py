from __future__ import annotations

import logging
import signal
import threading

import click

from learnflow.local._metrics_server import DEFAULT_LISTEN, serve_metrics
from learnflow.local.exporter import OffsetsExporter, Watch, parse_group_spec
from learnflow.serverless import kafka_settings


@click.command()
@click.option(
    "--bootstrap-servers",
    envvar="KAFKA_BOOTSTRAP_SERVERS",
    required=True,
    metavar="HOST:PORT[,...]",
    help="The Kafka to read offsets from.",
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    envvar="LEARNFLOW_MONITOR_GROUPS",
    metavar="GROUP[=TOPIC,...]",
    help="A consumer group to report besides those the broker lists (some brokers list only "
    "groups that have committed); with topics, its lag shows before its first commit. "
    "Repeatable; the variable takes a space-separated list.",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    envvar="LEARNFLOW_MONITOR_TOPICS",
    metavar="TOPIC",
    help="Watch these topics (and TOPIC.dlq) instead of the registry's. Repeatable.",
)
@click.option(
    "--listen", default=DEFAULT_LISTEN, show_default=True, envvar="LEARNFLOW_MONITOR_LISTEN", help="Where /metrics is served."
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    envvar="LEARNFLOW_MONITOR_INTERVAL",
    help="Seconds between offset reads.",
)
@click.option(
    "--window",
    type=click.FloatRange(min=1.0),
    default=30.0,
    show_default=True,
    envvar="LEARNFLOW_MONITOR_WINDOW",
    help="Seconds of the kafka_messages_per_second sliding window.",
)
def monitor(
    bootstrap_servers: str, groups: tuple[str, ...], topics: tuple[str, ...], listen: str, interval: float, window: float
) -> None:
    """Export consumer lag, throughput and dead letters of our topics on /metrics, until Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=bootstrap_servers)
    watch = Watch.of(topics) if topics else Watch.from_registry()
    specs = [parse_group_spec(g) for g in groups]
    stop = threading.Event()
    # SIGTERM is what Kubernetes sends; SIGINT is handled too (not left to KeyboardInterrupt)
    # because a shell starting us in the background sets it to "ignore" otherwise.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    server = serve_metrics(listen)
    exporter = OffsetsExporter(settings, watch=watch, groups=specs, interval_s=interval, window_s=window)
    try:
        exporter.start()
        click.echo(f"serving {server.url} for {', '.join(watch.topics)} from {bootstrap_servers} (Ctrl-C stops)")
        while not stop.wait(0.5):
            pass
    finally:
        exporter.stop()
        server.stop()
    click.echo("monitor stopped")
