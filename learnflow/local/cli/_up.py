from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path

import click
from rich.console import Console
from rich.live import Live

from learnflow.local._gateway_server import DEFAULT_PORT as GATEWAY_PORT
from learnflow.local._metrics_server import DEFAULT_LISTEN
from learnflow.local.cli._function_env import function_env_options
from learnflow.local.runtime.stack import PROJECT_ROOT, LocalStack, StackOptions
from learnflow.local.runtime.status import plain, render, snapshot
from learnflow.local.traces import DEFAULT_ADDRESS as DEFAULT_TRACES_ADDRESS


@click.command()
@click.option(
    "--bootstrap-servers",
    envvar="KAFKA_BOOTSTRAP_SERVERS",
    default=None,
    help="Use this Kafka instead of starting the embedded broker.",
)
@click.option("--broker-port", type=click.IntRange(1, 65535), default=9092, show_default=True, envvar="LEARNFLOW_BROKER_PORT")
@click.option("--ingress-port", type=click.IntRange(0, 65535), default=8080, show_default=True, envvar="LEARNFLOW_INGRESS_PORT")
@click.option(
    "--functions-port",
    type=click.IntRange(1, 65535),
    default=8081,
    show_default=True,
    envvar="LEARNFLOW_FUNCTIONS_PORT",
    help="Port of the first function; the others follow.",
)
@click.option("--metrics-address", default=DEFAULT_LISTEN, show_default=True, envvar="LEARNFLOW_METRICS_ADDRESS")
@click.option(
    "--gateway-port",
    type=click.IntRange(0, 65535),
    default=GATEWAY_PORT,
    show_default=True,
    envvar="LEARNFLOW_GATEWAY_PORT",
    help="Port of the learner gateway and its page (0: any free port).",
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=PROJECT_ROOT,
    show_default=False,
    help="Project folder holding eventing/ and knative/.",
)
@click.option(
    "--validate-ingress",
    is_flag=True,
    envvar="LEARNFLOW_VALIDATE_INGRESS",
    help="Refuse an event whose data is not a document of the sink's topic with 400 and its field errors. "
    "By default the ingress writes it, as Knative's KafkaSink does, and logs a warning.",
)
@click.option(
    "--otlp-endpoint",
    envvar="OTEL_EXPORTER_OTLP_ENDPOINT",
    default=None,
    help="Send every process's spans to this OTLP/HTTP collector (base URL, e.g. http://127.0.0.1:4318). "
    "Without it, `learnflow up` keeps them itself and `learnflow trace` prints them.",
)
@click.option(
    "--traces-address",
    default=DEFAULT_TRACES_ADDRESS,
    show_default=True,
    envvar="LEARNFLOW_TRACES_ADDRESS",
    help="Where the embedded trace receiver listens (without --otlp-endpoint).",
)
@function_env_options
@click.option(
    "--exercises",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    envvar="LEARNFLOW_EXERCISES",
    help="Exercise catalogue (YAML) for the functions that grade; default: the one shipped in functions/_exercises/.",
)
@click.option(
    "--log-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".learnflow/logs"),
    show_default=True,
    help="Where the broker and functions write their logs.",
)
def up(
    bootstrap_servers: str | None,
    broker_port: int,
    ingress_port: int,
    functions_port: int,
    metrics_address: str,
    gateway_port: int,
    root: Path,
    validate_ingress: bool,
    otlp_endpoint: str | None,
    traces_address: str,
    env: dict[str, str],
    env_file: dict[str, str],
    exercises: Path | None,
    log_dir: Path,
) -> None:
    """Run the whole pipeline here until Ctrl-C: broker, topics, functions, ingress, dispatchers, metrics, learner gateway."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per ingress request is noise
    console = Console(soft_wrap=True)
    options = StackOptions(
        root=root,
        bootstrap_servers=bootstrap_servers,
        broker_port=broker_port,
        ingress_port=ingress_port,
        functions_port=functions_port,
        metrics_address=metrics_address,
        log_dir=log_dir,
        validate_ingress=validate_ingress,
        function_env={**env_file, **env},
        gateway_port=gateway_port,
        otlp_endpoint=otlp_endpoint or None,
        traces_address=traces_address,
        exercises=exercises,
    )
    stop = threading.Event()
    # Handle SIGINT ourselves too: a shell starts background jobs with SIGINT ignored,
    # and Python then installs no KeyboardInterrupt for it.
    # SIGHUP: the terminal went away; stop as for Ctrl-C rather than die with children up.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    stack = LocalStack(options)
    with console.status("starting the broker, the functions, the dispatchers and the learner gateway..."):
        stack.start()
    try:
        if stop.is_set():
            return
        _banner(console, stack)
        if console.is_terminal:
            with Live(render(snapshot(stack)), console=console, refresh_per_second=2) as live:
                while not stop.wait(1.0):
                    live.update(render(snapshot(stack)))
        else:
            while not stop.wait(10.0):
                print(plain(snapshot(stack)), flush=True)
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # Ctrl-C in a pipeline (`make run | tee`) also kills the reader of our output
    finally:
        _say(console, "stopping...")
        # Clients closed on purpose may still log their sockets' end (kafka-python 3.0 can
        # race its own close and print a traceback): expected now, and not the user's problem.
        logging.getLogger("kafka").setLevel(logging.CRITICAL)
        stack.stop()  # before any further output: writing may fail, stopping must not
        _say(console, "stopped: every process is down.")


def _say(console: Console, text: str) -> None:
    """Print if anyone still reads our output; a closed pipe must not stop the shutdown.

    rich answers a broken pipe with SystemExit(1) (Console.on_broken_pipe), so that is
    caught here too: leaving before ``stack.stop()`` would orphan every child process.
    """
    try:
        console.print(text)
        sys.stdout.flush()
    except (OSError, SystemExit):
        pass


def _banner(console: Console, stack: LocalStack) -> None:
    assert stack.settings is not None and stack.ingress is not None and stack.metrics is not None
    assert stack.gateway is not None
    # The page first: it is what a person opens.
    console.print(f"[bold]Learner page:[/] {stack.gateway.url}")
    kind = "embedded broker" if stack.broker else "Kafka"
    console.print(f"[bold]LearnFlow eventing is up[/] ({kind} at {stack.settings.bootstrap_servers})")
    console.print(f"  gateway   {stack.gateway.url}learners/<userId>/events|submissions|activity  (pid {stack.gateway.pid})")
    for name, sink in sorted(stack.eventing.sinks.items()):
        if not sink.topic.endswith(".dlq"):
            console.print(f"  ingress   POST {stack.ingress.url}/{sink.namespace}/{name}  ->  {sink.topic}")
    if stack.options.validate_ingress:
        console.print("  ingress   refuses invalid documents with 400 (--validate-ingress; KafkaSink would write them)")
    for name, function in sorted(stack.functions.items()):
        console.print(f"  function  {name:<22} {function.server.url}  (pid {function.status.pid})")
        if overridden := stack.environments[name].overridden:
            over = ", ".join(f"{var} ({by})" for var, by in sorted(overridden.items()))
            console.print(f"            {'':<22} env of knative/ overridden: {over}")
    for name, dispatcher in sorted(stack.dispatchers.items()):
        console.print(f"  source    {name:<22} {','.join(dispatcher.source.topics)} -> {dispatcher.url}")
    console.print(f"  metrics   {stack.metrics.url}")
    if stack.traces is not None:
        flag = "" if stack.traces.url == f"http://{DEFAULT_TRACES_ADDRESS}" else f" --traces-url {stack.traces.url}"
        console.print(f"  traces    kept here: learnflow trace <eventId|userId>{flag}")
    else:
        console.print(f"  traces    every process exports to {stack.otlp_endpoint}")
    console.print(f"  logs      {stack.options.log_dir}/")
    console.print("Ctrl-C stops everything.")
