"""A Server-Sent Events client for tests and benchmarks: a socket, a thread, a queue.

A raw socket rather than an HTTP library, so that ``close()`` from the test's thread
always unblocks the reader (shutting the socket down), and a test can hold a stream
open, cut it, and resume it with the last id it saw, as a browser's EventSource does.
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SseMessage:
    event: str
    data: str
    id: str | None


@dataclass
class SseParser:
    """The SSE wire format (WHATWG HTML, "event stream interpretation"), fed text as it comes."""

    comments: list[str] = field(default_factory=list)
    retry_ms: int | None = None
    last_id: str | None = None
    _buffer: str = ""
    _event: str = ""
    _data: list[str] = field(default_factory=list)
    _has_id: bool = False

    def feed(self, text: str) -> list[SseMessage]:
        self._buffer += text
        out: list[SseMessage] = []
        while True:
            line, sep, rest = self._buffer.partition("\n")
            if not sep:
                return out
            self._buffer = rest
            line = line.removesuffix("\r")
            if line == "":
                if self._data:
                    out.append(SseMessage(self._event or "message", "\n".join(self._data), self.last_id))
                self._event, self._data = "", []
                continue
            if line.startswith(":"):
                self.comments.append(line[1:].strip())
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                self._event = value
            elif name == "data":
                self._data.append(value)
            elif name == "id":
                self.last_id = value
            elif name == "retry" and value.isdigit():
                self.retry_ms = int(value)


class SseStream:
    """``GET url`` as an event stream, read by a thread into a queue of messages."""

    def __init__(
        self, url: str, *, token: str | None = None, cookie: str | None = None, last_event_id: str | None = None
    ) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.headers = {"Accept": "text/event-stream", "Host": f"{self.host}:{self.port}"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        if cookie:
            self.headers["Cookie"] = cookie
        if last_event_id:
            self.headers["Last-Event-ID"] = last_event_id
        self.status: int | None = None
        self.response_headers: dict[str, str] = {}
        self.body = ""  # the whole body of a refused (non-200) answer
        self.parser = SseParser()
        self.messages: queue.Queue[SseMessage | None] = queue.Queue()
        self._sock: socket.socket | None = None
        self._opened = threading.Event()
        self._thread: threading.Thread | None = None
        self.closed = threading.Event()

    def open(self, timeout: float = 15.0) -> SseStream:
        """Connect and wait for the status and the first byte of the body (the gateway is subscribed then)."""
        self._sock = socket.create_connection((self.host, self.port), timeout=timeout)
        request = f"GET {self.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in self.headers.items()) + "\r\n"
        self._sock.sendall(request.encode())
        self._sock.settimeout(None)
        self._thread = threading.Thread(target=self._read, name="sse-reader", daemon=True)
        self._thread.start()
        if not self._opened.wait(timeout):
            self.close()
            raise TimeoutError(f"no answer from {self.path} within {timeout} s")
        return self

    def _read(self) -> None:
        assert self._sock is not None
        reader = self._sock.makefile("rb")
        try:
            status_line = reader.readline().decode("latin-1")
            self.status = int(status_line.split()[1]) if status_line else None
            while True:
                line = reader.readline().decode("latin-1").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                self.response_headers[name.strip().lower()] = value.strip()
            chunked = self.response_headers.get("transfer-encoding", "").lower() == "chunked"
            first = True
            for piece in self._body(reader, chunked):
                text = piece.decode("utf-8")
                if self.status != 200:
                    self.body += text
                    continue
                for message in self.parser.feed(text):
                    self.messages.put(message)
                if first:
                    first = False
                    self._opened.set()
        except (OSError, ValueError):
            pass  # closed under us: that is how close() ends the reader
        finally:
            self._opened.set()
            self.closed.set()
            self.messages.put(None)
            reader.close()

    def _body(self, reader, chunked: bool):  # type: ignore[no-untyped-def]
        if not chunked:
            length = self.response_headers.get("content-length")
            if length is not None:
                yield reader.read(int(length))
                return
            while piece := reader.read1(65536):
                yield piece
            return
        while True:
            size = int(reader.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                return
            yield reader.read(size)
            reader.readline()

    def next(self, timeout: float = 15.0) -> SseMessage:
        """The next message; AssertionError if the stream ended or none came in ``timeout`` s."""
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout} s") from None
        if message is None:
            self.messages.put(None)
            raise AssertionError("the stream ended")
        return message

    def take(self, count: int, timeout: float = 30.0) -> list[SseMessage]:
        """The next ``count`` messages, waiting at most ``timeout`` s for all of them."""
        deadline = time.monotonic() + timeout
        return [self.next(max(0.01, deadline - time.monotonic())) for _ in range(count)]

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
            self._sock = None
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> SseStream:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()
