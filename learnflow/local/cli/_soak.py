from __future__ import annotations

import logging
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from learnflow.local.soak.ledger import Summary
from learnflow.local.soak.runner import Soak, SoakOptions


@click.command()
@click.option("--duration", type=click.FloatRange(5, 86_400), default=600.0, show_default=True, help="Seconds of traffic.")
@click.option("--rate", type=click.FloatRange(1, 10_000), default=100.0, show_default=True, help="Events per second.")
@click.option(
    "--fail-ratio",
    type=click.FloatRange(0, 0.5),
    default=0.005,
    show_default=True,
    help="Share of requests the fault proxy answers 500.",
)
@click.option(
    "--slow-ratio",
    type=click.FloatRange(0, 0.5),
    default=0.002,
    show_default=True,
    help="Share of triage requests answered after the delivery timeout.",
)
@click.option(
    "--delivery-timeout",
    type=click.FloatRange(0.1, 600),
    default=None,
    help="Override the manifests' per-attempt timeout (makes short runs short).",
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--log-dir", type=click.Path(file_okay=False, path_type=Path), default=Path(".learnflow/soak"), show_default=True)
def soak(
    duration: float, rate: float, fail_ratio: float, slow_ratio: float, delivery_timeout: float | None, seed: int, log_dir: Path
) -> None:
    """Drive code-submitted and learning-events through the local runtime under faults; reconcile every event."""
    _log_to(log_dir / "soak.log")
    console = Console(soft_wrap=True)
    options = SoakOptions(
        duration=duration,
        rate=rate,
        fail_ratio=fail_ratio,
        slow_ratio=slow_ratio,
        delivery_timeout=delivery_timeout,
        seed=seed,
        log_dir=log_dir,
    )
    runner = Soak(options, progress=lambda msg: console.print(f"[dim]{msg}[/]"))
    summary = runner.run()
    console.print(render(summary, runner))
    console.print(f"[dim]logs: {log_dir}/ (soak.log: the runtime's; one file per function; broker.log)[/]")
    if summary.lost:
        raise SystemExit(1)


class _NotKafka(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith("kafka")


def _log_to(path: Path) -> None:
    """Errors on the terminal, without the Kafka client's: broker cuts are the point, their noise
    is not. Everything from INFO (the client's from WARNING) in ``path``, to explain a failed run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(threadName)s %(levelname)s %(name)s: %(message)s")
    console = logging.StreamHandler()
    console.setLevel(logging.ERROR)
    console.addFilter(_NotKafka())
    console.setFormatter(fmt)
    file = logging.FileHandler(path, mode="w", encoding="utf-8")
    file.setFormatter(fmt)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(console)
    root.addHandler(file)
    logging.getLogger("kafka").setLevel(logging.WARNING)


def render(summary: Summary, runner: Soak) -> Table:
    table = Table(title=f"soak: {runner.options.duration:g} s at {runner.options.rate:g} events/s")
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row(
        "produced",
        f"{summary.produced} in {runner.produce_seconds:.0f} s ({summary.produced / max(runner.produce_seconds, 1e-9):.1f}/s)",
    )
    table.add_row("delivered", str(summary.delivered))
    table.add_row(
        "  of which more than once", f"{summary.delivered_more_than_once} ({summary.duplicate_deliveries} extra deliveries)"
    )
    dead = sum(summary.dead_lettered.values())
    table.add_row("dead-lettered", str(dead))
    for reason, n in summary.dead_lettered.most_common():
        table.add_row(f"  {reason}", str(n))
    table.add_row("  of which also delivered late", str(summary.dead_lettered_after_delivery))
    table.add_row("[bold]lost[/]", f"[bold]{len(summary.lost)}[/]")
    if runner.backlog_at_end:
        table.add_row("  (drain timed out: records still uncommitted in Kafka)", str(runner.backlog_at_end))
    table.add_row("not produced (broker unreachable 30 s)", str(runner.unproduced))
    for q in (0.5, 0.95, 0.99):
        value = summary.percentile(q)
        table.add_row(f"latency p{int(q * 100)} (produce -> function)", "-" if value is None else f"{value:.0f} ms")
    injected = {k: sum(p[k] for p in runner.injected.values()) for k in ("500", "slow")}
    table.add_row("faults: 500s injected", str(injected["500"]))
    table.add_row("faults: late answers injected", str(injected["slow"]))
    table.add_row("faults: broker connection cuts", str(runner.broker_cuts))
    for line in runner.faults_done:
        table.add_row(f"  {line}", "")
    return table
