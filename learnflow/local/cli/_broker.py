from __future__ import annotations

import signal
import threading

import click

from learnflow.events import all_topic_partitions
from learnflow.local._admin import ensure_topics
from learnflow.local._broker import EmbeddedBroker
from learnflow.serverless import BrokerKind, kafka_settings


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=9092, show_default=True, envvar="LEARNFLOW_BROKER_PORT")
def broker(port: int) -> None:
    """Run the embedded Kafka broker with every topic created, until Ctrl-C."""
    stop = threading.Event()
    # SIGINT is handled here rather than left to KeyboardInterrupt: a shell starts a
    # background job with SIGINT ignored, and Python then installs no handler for it,
    # so `learnflow broker &` could not be stopped with Ctrl-C or `kill -INT`.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with EmbeddedBroker(port=port) as embedded:
        settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=embedded.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
        created = ensure_topics(settings, all_topic_partitions())
        click.echo(
            f"embedded broker (pid {embedded.pid}) at {embedded.bootstrap}; topics: {', '.join(sorted(all_topic_partitions()))}"
        )
        if created:
            click.echo(f"created {len(created)} topics")
        click.echo(f"export KAFKA_BOOTSTRAP_SERVERS={embedded.bootstrap}   (Ctrl-C stops it)")
        while not stop.wait(0.5):
            if not embedded.running():
                raise click.ClickException("the embedded broker exited unexpectedly")
    click.echo("broker stopped")
