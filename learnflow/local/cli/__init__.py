"""The ``learnflow`` command line: a thin shell over the library.

Every option that a container would set declares its environment variable, and known
errors exit with a message and status 1 (usage errors: 2), never a traceback.
"""

from __future__ import annotations

import sys

import click

from learnflow.events import LearnflowError
from learnflow.local.cli._broker import broker
from learnflow.local.cli._dlq import dlq
from learnflow.local.cli._monitor import monitor
from learnflow.local.cli._publish import publish
from learnflow.local.cli._schemas import schemas
from learnflow.local.cli._simulate import simulate
from learnflow.local.cli._soak import soak
from learnflow.local.cli._trace import trace
from learnflow.local.cli._tracing import own_process
from learnflow.local.cli._up import up


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """LearnFlow eventing: contracts, embedded broker and local runtime."""


cli.add_command(broker)
cli.add_command(schemas)
cli.add_command(up)
cli.add_command(publish)
cli.add_command(simulate)
cli.add_command(dlq)
cli.add_command(soak)
cli.add_command(monitor)
cli.add_command(trace)


def main() -> None:
    own_process()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except LearnflowError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
