from __future__ import annotations

import json

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from learnflow.events import PublishError
from learnflow.local._dead_letters import DEFAULT_MAX_REPLAYS, DeadLetter, ReplayRefused, check_filter, replay_record
from learnflow.local._topic_reader import read_topic
from learnflow.local.cli._options import bootstrap_option, settings_for
from learnflow.local.cli._tracing import continuing, traced_command
from learnflow.serverless import Publisher

# Any topic, not only the registry's: operators replay whatever a KafkaSource dead-lettered.
topic_argument = click.argument("topic")


def _filters(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    try:
        return [check_filter(v) for v in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


filter_option = click.option(
    "--filter",
    "filters",
    multiple=True,
    callback=_filters,
    help="FIELD=VALUE or FIELD~TEXT on id, type, code, reason, key; repeatable.",
)


def _letters(bootstrap_servers: str, topic: str, filters: list[str]) -> list[DeadLetter]:
    records = read_topic(settings_for(bootstrap_servers), f"{topic}.dlq")
    letters = [DeadLetter(r.partition, r.offset, r.record) for r in records]
    return [d for d in letters if d.matches(filters)]


@click.group()
def dlq() -> None:
    """Inspect and replay dead letters ({topic}.dlq)."""


@dlq.command("list")
@topic_argument
@filter_option
@bootstrap_option
def list_(topic: str, filters: list[str], bootstrap_servers: str) -> None:
    """List the dead letters of TOPIC with their decoded reason and status."""
    letters = _letters(bootstrap_servers, topic, filters)
    columns = ("offset", "event id", "type", "code", "reason", "replays")
    rows = [(str(d.offset), d.event_id, d.event_type, d.code or "-", d.reason, str(d.replays)) for d in letters]
    console = Console(soft_wrap=True)
    if not console.is_terminal:  # piped: one tab-separated line per letter, for grep and cut
        click.echo(f"# {topic}.dlq: {len(letters)} dead letters")
        click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join(row))
        return
    table = Table(title=f"{topic}.dlq: {len(letters)} dead letters")
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@dlq.command()
@topic_argument
@click.argument("which")
@bootstrap_option
def show(topic: str, which: str, bootstrap_servers: str) -> None:
    """Show one dead letter of TOPIC, by offset or event id."""
    for d in _letters(bootstrap_servers, topic, []):
        if which in (str(d.offset), d.event_id):
            click.echo(f"offset:      {d.offset} (partition {d.partition})")
            click.echo(f"event:       {d.event_id} ({d.event_type})")
            click.echo(f"failed at:   {d.destination or '-'}")
            click.echo(f"status:      {d.code or 'no response'}")
            click.echo(f"reason:      {d.reason}")
            click.echo(f"replays:     {d.replays}")
            click.echo(f"response:    {d.error_data or '-'}")
            click.echo("headers:")
            for k, v in d.record.headers:
                click.echo(f"  {k}: {v.decode('utf-8', 'replace')}")
            body = (d.record.value or b"").decode("utf-8", "replace")
            try:
                body = json.dumps(json.loads(body), indent=2)
            except ValueError:
                pass
            click.echo(f"value:\n{body}")
            return
    raise click.ClickException(f"no dead letter with offset or event id {which!r} in {topic}.dlq")


@dlq.command()
@topic_argument
@filter_option
@click.option("--dry-run", is_flag=True, help="Say what would be replayed; write nothing.")
@click.option(
    "--max-replays",
    type=click.IntRange(1, 100),
    default=DEFAULT_MAX_REPLAYS,
    show_default=True,
    help="Refuse events already replayed this many times.",
)
@bootstrap_option
@traced_command("learnflow-dlq-replay")
def replay(topic: str, filters: list[str], dry_run: bool, max_replays: int, bootstrap_servers: str) -> None:
    """Write selected dead letters of TOPIC back to TOPIC, counting replays."""
    letters = _letters(bootstrap_servers, topic, filters)
    publisher = Publisher("dlq-replay", settings=settings_for(bootstrap_servers))
    replayed = refused = failed = 0
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task(f"replaying to {topic}", total=len(letters))
            for d in letters:
                progress.advance(task)
                try:
                    record = replay_record(d, max_replays)
                except ReplayRefused as exc:
                    click.echo(f"refused: {exc}", err=True)
                    refused += 1
                    continue
                if dry_run:
                    click.echo(f"would replay offset {d.offset}: {d.event_id} ({d.reason})")
                    replayed += 1
                    continue
                try:
                    with continuing(record):  # the dead letter's own trace, not a new one
                        publisher.send_record(topic, record)
                    replayed += 1
                except PublishError as exc:
                    click.echo(f"failed: offset {d.offset}: {exc}", err=True)
                    failed += 1
    finally:
        publisher.close()
    verb = "would replay" if dry_run else "replayed"
    click.echo(f"{verb} {replayed} of {len(letters)} to {topic}; {refused} refused; {failed} failed")
    if failed:
        raise SystemExit(1)
