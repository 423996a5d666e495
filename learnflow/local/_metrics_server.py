"""``/metrics`` over HTTP, startable and stoppable: used by ``learnflow monitor`` and
embedded by ``learnflow up``.

prometheus-client's ``start_http_server`` returns its WSGI server and thread; this
wraps them so callers can stop the server (tests, the local runtime shutting down)
and learn the real port when they asked for port 0.
"""

from __future__ import annotations

import threading
from types import TracebackType
from wsgiref.simple_server import WSGIServer

from prometheus_client import REGISTRY, CollectorRegistry, start_http_server

from learnflow.events import ConfigurationError

DEFAULT_LISTEN = "127.0.0.1:9464"  # 9464: the port OpenTelemetry's Prometheus exporter made customary


def parse_address(address: str) -> tuple[str, int]:
    """``"127.0.0.1:9464"``, ``":9464"`` (all interfaces), ``"[::1]:9464"`` -> (host, port)."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigurationError(f"bad listen address {address!r}: expected HOST:PORT, e.g. {DEFAULT_LISTEN}")
    host = host.strip("[]") or "0.0.0.0"
    return host, int(port)


class MetricsServer:
    """A running ``/metrics`` endpoint; ``stop()`` closes the socket and joins the thread."""

    def __init__(self, server: WSGIServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/metrics"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> MetricsServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def serve_metrics(address: str = DEFAULT_LISTEN, registry: CollectorRegistry = REGISTRY) -> MetricsServer:
    """Serve ``registry`` on ``http://address/metrics`` from a daemon thread."""
    host, port = parse_address(address)
    try:
        server, thread = start_http_server(port, addr=host, registry=registry)
    except OSError as exc:
        raise ConfigurationError(f"cannot listen on {address}: {exc.strerror or exc}") from exc
    return MetricsServer(server, thread)
