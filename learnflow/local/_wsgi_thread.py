"""A WSGI app on a port, served from a background thread of this process (werkzeug, threaded)."""

from __future__ import annotations

import threading
from typing import Any, Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class ThreadedWsgiServer:
    """Serve ``app`` on ``host:port`` (0: any free port, read back after ``start``) until ``stop``."""

    def __init__(
        self, app: Any, host: str, port: int, *, name: str, request_handler: type[WSGIRequestHandler] | None = None
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._name = name
        self._handler = request_handler
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        # Threaded: a slow request (a function's delivery, a batch of spans) must not hold the next.
        self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=self._handler)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name=self._name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
