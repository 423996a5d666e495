"""Function processes that stay up: restarted with backoff when they die."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from learnflow.local import _metrics as metrics
from learnflow.local._backoff import Backoff
from learnflow.local._function_server import FunctionServer

log = logging.getLogger(__name__)

FIRST_RESTART_DELAY = 0.5  # seconds; doubled after each restart that did not last
MAX_RESTART_DELAY = 10.0
STABLE_AFTER = 30.0  # seconds up after a restart before the next crash counts as a first one


@dataclass
class FunctionState:
    name: str
    url: str
    state: str = "starting"  # starting | running | restarting | stopped
    restarts: int = 0
    pid: int | None = None


class SupervisedFunction:
    """One Knative Service's function, kept running under functions-framework."""

    def __init__(self, name: str, server: FunctionServer) -> None:
        self.name = name
        self.server = server
        self.status = FunctionState(name, server.url)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._since = 0.0  # when the last restart happened

    def start(self) -> SupervisedFunction:
        self.server.start()
        self.status.state, self.status.pid = "running", self.server.pid
        self._thread = threading.Thread(target=self._watch, name=f"supervise-{self.name}", daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        backoff = Backoff(first=FIRST_RESTART_DELAY, ceiling=MAX_RESTART_DELAY)
        while not self._stop.wait(0.2):
            if self.server.running():
                if backoff.failures and time.monotonic() - self._since > STABLE_AFTER:
                    backoff.reset()  # stable again: the next crash restarts quickly
                continue
            delay = backoff.next_delay()
            log.warning("function %s died; restarting in %.1f s", self.name, delay)
            self.status.state = "restarting"
            # What is left of its process group (a gunicorn worker outliving its master)
            # would keep the port, and the new server could not listen.
            self.server.stop()
            if self._stop.wait(delay):
                return
            try:
                self.server.start()
            except (RuntimeError, TimeoutError) as exc:
                log.error("function %s failed to restart: %s", self.name, exc)
            self._since = time.monotonic()
            self.status.restarts += 1
            metrics.FUNCTION_RESTARTS.labels(self.name).inc()
            if self.server.running():
                self.status.state, self.status.pid = "running", self.server.pid

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.server.stop()
        self.status.state, self.status.pid = "stopped", None


def function_folder(source: str) -> str:
    """``functions/triage/main.py`` -> ``triage``: the folder a Service's FUNCTION_SOURCE names."""
    parts = Path(source).parts
    if len(parts) >= 2 and parts[-1].endswith(".py"):
        return parts[-2]
    return Path(source).name
