from __future__ import annotations

import itertools
import time
from collections import Counter

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from learnflow.events import PublishError, all_topic_partitions, topic_for_event_type
from learnflow.local._simulation import sessions
from learnflow.local._topic_reader import read_topic
from learnflow.local.cli._options import bootstrap_option, settings_for
from learnflow.local.cli._tracing import traced_command
from learnflow.serverless import Publisher


def _record_counts(bootstrap_servers: str) -> Counter[str]:
    settings = settings_for(bootstrap_servers)
    return Counter({t: sum(1 for _ in read_topic(settings, t, timeout=5)) for t in sorted(all_topic_partitions())})


@click.command()
@click.option("--learners", type=click.IntRange(1, 100_000), default=20, show_default=True)
@click.option("--duration", type=click.FloatRange(0.1, 86_400), default=30.0, show_default=True, help="Seconds to send for.")
@click.option(
    "--rate",
    type=click.FloatRange(0.1, 100_000),
    default=10.0,
    show_default=True,
    help="Events per second, all learners together.",
)
@click.option("--seed", type=int, default=None, help="Repeat a run exactly.")
@click.option(
    "--settle",
    type=click.FloatRange(0, 600),
    default=5.0,
    show_default=True,
    help="Seconds to let the pipeline drain before the summary.",
)
@bootstrap_option
@traced_command("learnflow-simulate")
def simulate(learners: int, duration: float, rate: float, seed: int | None, settle: float, bootstrap_servers: str) -> None:
    """Send realistic learner sessions (starts, correct and broken code, help requests, completions)."""
    console = Console(soft_wrap=True)
    before = _record_counts(bootstrap_servers)
    publisher = Publisher("frontend", settings=settings_for(bootstrap_servers))
    sent: Counter[str] = Counter()
    failed = 0
    total = max(1, int(duration * rate))
    started = time.monotonic()
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(f"{learners} learners at {rate:g}/s", total=total)
            for i, event in enumerate(itertools.islice(sessions(learners, seed), total)):
                # Paced against the clock, not by sleeping a fixed gap, so slow sends do not stretch the run.
                delay = started + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                try:
                    publisher.publish(event)
                    sent[event.event_type] += 1
                except PublishError as exc:
                    failed += 1
                    console.print(f"[red]{exc}[/]")
                progress.advance(task)
    except KeyboardInterrupt:
        console.print("interrupted")
    finally:
        publisher.close()
    elapsed = time.monotonic() - started
    console.print(f"sent {sum(sent.values())} events in {elapsed:.1f} s ({sum(sent.values()) / elapsed:.1f}/s); {failed} failed")
    for event_type, n in sorted(sent.items()):
        console.print(f"  {event_type:<20} {n}  -> {topic_for_event_type(event_type).name}")
    if settle:
        with console.status(f"letting the pipeline drain for {settle:g} s..."):
            time.sleep(settle)
    after = _record_counts(bootstrap_servers)
    table = Table(title="what flowed where (records added to each topic during the run)")
    table.add_column("topic")
    table.add_column("records", justify="right")
    for topic in sorted(after):
        table.add_row(topic, str(after[topic] - before.get(topic, 0)))
    console.print(table)
    if failed:
        raise SystemExit(1)
