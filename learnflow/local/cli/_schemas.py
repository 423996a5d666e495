from __future__ import annotations

import click

from learnflow.local import _schemas as schema_files


@click.command()
@click.option("--write", "do_write", is_flag=True, help="Rewrite eventing/schemas from the models.")
def schemas(do_write: bool) -> None:
    """Check (or --write) the JSON Schemas generated from the event models."""
    if do_write:
        for path in schema_files.write():
            click.echo(f"wrote {path.name}")
        return
    stale = schema_files.stale()
    if stale:
        raise click.ClickException(f"stale schemas: {', '.join(stale)} (run `make schemas`)")
    click.echo("schemas are up to date")
