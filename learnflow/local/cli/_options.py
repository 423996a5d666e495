"""Options shared by the commands that talk to Kafka."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from learnflow.serverless import DEFAULT_BOOTSTRAP, KafkaSettings, kafka_settings


def bootstrap_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--bootstrap-servers",
        envvar="KAFKA_BOOTSTRAP_SERVERS",
        default=DEFAULT_BOOTSTRAP,
        show_default=True,
        help="Kafka to talk to (`make run` starts the embedded broker there).",
    )(func)


def settings_for(bootstrap_servers: str) -> KafkaSettings:
    return kafka_settings(KAFKA_BOOTSTRAP_SERVERS=bootstrap_servers)
