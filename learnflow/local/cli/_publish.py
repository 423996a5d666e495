from __future__ import annotations

from collections import Counter
from typing import TextIO

import click

from learnflow.events import PublishError
from learnflow.local._documents import parse_documents
from learnflow.local.cli._options import bootstrap_option, settings_for
from learnflow.local.cli._tracing import traced_command
from learnflow.serverless import Publisher


@click.command()
@click.argument("source", type=click.File("r", encoding="utf-8", errors="strict"), default="-")
@bootstrap_option
@traced_command("learnflow-publish")
def publish(source: TextIO, bootstrap_servers: str) -> None:
    """Validate seed JSON documents (one per line, or a JSON array) and produce each to its topic.

    SOURCE is a file, or - for standard input. Bad documents are reported one by one
    and the good ones are still sent; the exit status is 1 if any failed.
    """
    try:
        text = source.read()
    except UnicodeDecodeError as exc:
        raise click.BadParameter(f"not UTF-8 text ({exc.reason} at byte {exc.start})", param_hint="SOURCE") from exc
    parsed = parse_documents(text)
    if not parsed:
        raise click.UsageError("no documents found in SOURCE")
    publisher = Publisher("cli", settings=settings_for(bootstrap_servers))
    sent: Counter[str] = Counter()
    failed = 0
    try:
        for item in parsed:
            if item.error is not None or item.event is None or item.topic is None:
                click.secho(f"{item.where}: {item.error}", fg="red", err=True)
                failed += 1
                continue
            try:
                publisher.publish(item.event, item.topic)
            except PublishError as exc:
                click.secho(f"{item.where}: {exc}", fg="red", err=True)
                failed += 1
                continue
            sent[item.topic.name] += 1
    finally:
        publisher.close()
    summary = ", ".join(f"{topic}: {n}" for topic, n in sorted(sent.items())) or "none"
    click.echo(f"published {sum(sent.values())} ({summary}); {failed} failed")
    if failed:
        raise SystemExit(1)
