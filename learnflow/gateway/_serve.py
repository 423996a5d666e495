"""Running the gateway: ``python -m learnflow.gateway`` (the image's command, and ``learnflow up``'s)."""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys

import uvicorn

from learnflow.events import LearnflowError
from learnflow.gateway._app import create_app


def serve(host: str, port: int) -> None:
    """Serve until SIGTERM or SIGINT; open streams are ended, so browsers resume elsewhere."""
    app = create_app()  # reads and checks the settings now: a bad one fails before binding
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
        # Knative sends SIGTERM and waits; streams reconnect with their cursor anyway.
        timeout_graceful_shutdown=5,
        proxy_headers=True,
    )
    uvicorn.Server(config).run()


def _lift_open_files_limit() -> None:
    """Every open stream is a socket: lift the soft limit (often 1,024) to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m learnflow.gateway", description="The learner gateway.")
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"), help="default: $HOST or 0.0.0.0")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")), help="default: $PORT or 8080")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("aiokafka", "kafka"):  # one line per connection is noise in a long-lived service
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _lift_open_files_limit()
    try:
        serve(args.host, args.port)
    except LearnflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
