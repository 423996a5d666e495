"""``learnflow trace <eventId|userId|traceId>``: one submission's waterfall, from the embedded receiver."""

from __future__ import annotations

from urllib.parse import quote

import click
import httpx
from rich.console import Console

from learnflow.local.traces import DEFAULT_ADDRESS, QUERY_PREFIX, TraceAnswer, render


def fetch_trace(traces_url: str, query: str, timeout: float = 10.0) -> TraceAnswer | None:
    """The trace the receiver at ``traces_url`` holds for ``query``; None if it holds none."""
    response = httpx.get(f"{traces_url.rstrip('/')}{QUERY_PREFIX}{quote(query, safe='')}", timeout=timeout)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return TraceAnswer.model_validate_json(response.content)


@click.command()
@click.argument("query")
@click.option(
    "--traces-url",
    default=f"http://{DEFAULT_ADDRESS}",
    show_default=True,
    envvar="LEARNFLOW_TRACES_URL",
    help="The embedded trace receiver of a running `learnflow up` (its --traces-address).",
)
def trace(query: str, traces_url: str) -> None:
    """Print the waterfall of one submission: QUERY is its eventId, a userId (their latest), or a trace id.

    Spans are those `learnflow up` keeps itself (no --otlp-endpoint); with a collector, look there.
    """
    try:
        answer = fetch_trace(traces_url, query)
    except httpx.HTTPError as exc:
        raise click.ClickException(f"no trace receiver at {traces_url} ({exc}); is `learnflow up` running?") from None
    if answer is None:
        raise click.ClickException(f"no trace of {query!r} at {traces_url} (yet: spans arrive a fraction of a second late)")
    Console(soft_wrap=True).print(render(answer.trace_id, answer.spans))
