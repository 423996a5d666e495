from __future__ import annotations

import click

from learnflow.local import _schemas as schema_files
from learnflow.local import asyncapi


@click.command()
@click.option("--write", "do_write", is_flag=True, help="Rewrite eventing/schemas and eventing/asyncapi.yaml from the sources.")
def schemas(do_write: bool) -> None:
    """Check (or --write) the JSON Schemas and the AsyncAPI document generated from the event models."""
    if do_write:
        for path in schema_files.write():
            click.echo(f"wrote {path.name}")
        click.echo(f"wrote {asyncapi.write().name}")
        return
    stale = schema_files.stale()
    if asyncapi.is_stale():
        stale.append(asyncapi.DOCUMENT_PATH.name)
    if stale:
        raise click.ClickException(f"stale schemas: {', '.join(stale)} (run `make schemas`)")
    click.echo("schemas are up to date")
