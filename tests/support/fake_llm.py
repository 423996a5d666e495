"""A stand-in for an OpenAI-compatible server on 127.0.0.1: a threaded http.server.

Each test sets ``behaviour`` (``ok``, ``status_500``, ``garbage``, ``empty``, ``hang``)
and reads back the requests it received. ``hang`` blocks until the server is stopped,
so a client timeout is exercised without any sleep in the test.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REPLY_TEXT = "Think of the comprehension as a for loop folded into brackets."


@dataclass
class FakeLLM:
    behaviour: str = "ok"
    requests: list[dict[str, Any]] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}/v1"

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body or b"null")})
                if fake.behaviour == "hang":
                    fake.released.wait(10)
                    return
                if fake.behaviour == "status_500":
                    self._send(500, b'{"error": "overloaded"}')
                elif fake.behaviour == "garbage":
                    self._send(200, b"<html>not json</html>")
                elif fake.behaviour == "empty":
                    self._send(200, json.dumps({"choices": [{"message": {"content": "  "}}]}).encode())
                else:
                    reply = {"choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY_TEXT}}]}
                    self._send(200, json.dumps(reply).encode())

            def _send(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
