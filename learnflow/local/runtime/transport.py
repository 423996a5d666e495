"""HTTP POST for the dispatcher: one kept-alive connection per worker thread.

The dispatcher sends one request at a time per partition, so each worker thread owns a
persistent ``http.client`` connection; this costs about half the CPU per request of a
general-purpose client, which matters when the dispatcher shares two cores with the
functions it calls. Failures are reported as the two classes the delivery policy
needs: no answer in time, or no connection.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from learnflow.events import LearnflowError


class TransportError(LearnflowError):
    """No answer from the function: the delivery policy retries it."""


class TransportTimeout(TransportError):
    """No complete answer within the per-attempt timeout."""


class TransportConnectionError(TransportError):
    """Connecting failed, or the connection broke before an answer."""


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class Transport(Protocol):
    def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> HttpAnswer: ...

    def close(self) -> None: ...


class KeepAliveTransport:
    """``http.client`` connections kept per thread and per host; re-opened after any failure."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: set[http.client.HTTPConnection] = set()  # open ones, for close()
        self._lock = threading.Lock()

    def _connection(self, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
        pool: dict[tuple[str, int], http.client.HTTPConnection] = self._local.__dict__.setdefault("pool", {})
        conn = pool.get((host, port))
        if conn is None:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
            pool[(host, port)] = conn
            with self._lock:
                self._all.add(conn)
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _drop(self, host: str, port: int) -> None:
        conn = self._local.__dict__.get("pool", {}).pop((host, port), None)
        if conn is not None:
            conn.close()
            with self._lock:
                self._all.discard(conn)  # else every dropped connection would be kept until close()

    def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> HttpAnswer:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            conn = self._connection(host, port, timeout)
            reused = conn.sock is not None
            try:
                conn.request("POST", path, body=body, headers=dict(headers))
                response = conn.getresponse()
                answer = HttpAnswer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
                if response.will_close:
                    self._drop(host, port)
                return answer
            except TimeoutError as exc:
                self._drop(host, port)
                raise TransportTimeout(f"no answer within {timeout:g} s") from exc
            except (OSError, http.client.HTTPException, AttributeError) as exc:
                # AttributeError: http.client's own state breaking when the peer drops the
                # connection mid-read (seen under load); it is a connection failure too.
                self._drop(host, port)
                # A kept-alive connection the server closed while idle fails on first use:
                # that is not the function's failure, so try once on a fresh connection.
                if (
                    reused
                    and attempt == 1
                    and isinstance(exc, (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError))
                ):
                    continue
                raise TransportConnectionError(f"{type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, set()
        for conn in conns:
            conn.close()


class HttpxTransport:
    """One ``httpx.Client`` per worker thread, its connection kept alive between requests."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._clients: list[httpx.Client] = []  # every thread's, for close()
        self._lock = threading.Lock()

    def _client(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None or client.is_closed:
            # trust_env=False: a sink is called directly, as Knative's dispatcher calls it,
            # never through a proxy the environment happens to name.
            client = httpx.Client(trust_env=False)
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> HttpAnswer:
        try:
            response = self._client().post(url, headers=headers, content=body, timeout=timeout)
        except httpx.TimeoutException as exc:
            raise TransportTimeout(f"no answer within {timeout:g} s") from exc
        except httpx.TransportError as exc:
            raise TransportConnectionError(f"{type(exc).__name__}: {exc}") from exc
        return HttpAnswer(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)

    def close(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()
