"""HTTP POST for the dispatcher: one kept-alive ``http.client`` connection per worker thread.

The dispatcher sends one request at a time per partition, so each worker thread owns a
persistent connection. Failures are reported as the two classes the delivery policy
needs: no answer in time, or no connection. Only ``http.client``'s documented API is used.

Why not httpx (a dependency anyway): it costs the pipeline more than the 10 % of
saturation throughput this module was allowed. bench/pipeline.py ran the dispatcher with
both in the same run (``--transports``; one ``httpx.Client`` per worker thread, kept
alive), 3000 events, three runs on two shared cores (load average 2 to 6):

    dispatcher CPU per event at saturation   http.client 0.94 0.62 0.65 ms   httpx 1.63 1.31 1.43 ms
    saturation throughput, events/s          http.client  307  421  433      httpx  273  318  277

httpx took 11 to 36 % off the saturation throughput of the same run; in three earlier
runs under heavier load (5 to 13) it took 27 to 63 %, at about 2.0 ms of dispatcher CPU
per event against 0.8 to 1.0. The CPU per event moves little with the machine's load.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

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


_CLOSED_WHILE_IDLE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


@dataclass
class _Connection:
    http: http.client.HTTPConnection
    epoch: int  # the transport's close() count when it was made: older ones were closed
    used: bool = False  # it has answered before, so the server may have closed it since


class KeepAliveTransport:
    """``http.client`` connections kept per thread, host and timeout; re-opened after any failure.

    Only ``http.client``'s documented API: a connection's timeout is fixed when it is made,
    so a new timeout means a new connection (a source's timeout never changes).
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: set[http.client.HTTPConnection] = set()  # open ones, for close()
        self._lock = threading.Lock()
        self._epoch = 0

    def _pool(self) -> dict[tuple[str, int, float], _Connection]:
        pool: dict[tuple[str, int, float], _Connection] | None = getattr(self._local, "pool", None)
        if pool is None:
            pool = self._local.pool = {}
        return pool

    def _connection(self, key: tuple[str, int, float]) -> _Connection:
        pool = self._pool()
        conn = pool.get(key)
        if conn is None or conn.epoch != self._epoch:
            host, port, timeout = key
            conn = pool[key] = _Connection(http.client.HTTPConnection(host, port, timeout=timeout), self._epoch)
            with self._lock:
                self._all.add(conn.http)
        return conn

    def _drop(self, key: tuple[str, int, float]) -> None:
        conn = self._pool().pop(key, None)
        if conn is not None:
            conn.http.close()
            with self._lock:
                self._all.discard(conn.http)  # else every dropped connection would be kept until close()

    def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> HttpAnswer:
        parts = urlsplit(url)
        key = (parts.hostname or "127.0.0.1", parts.port or 80, timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            conn = self._connection(key)
            try:
                conn.http.request("POST", path, body=body, headers=dict(headers))
                response = conn.http.getresponse()
                answer = HttpAnswer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
            except TimeoutError as exc:
                self._drop(key)
                raise TransportTimeout(f"no answer within {timeout:g} s") from exc
            except (OSError, http.client.HTTPException) as exc:
                self._drop(key)
                # A kept-alive connection the server closed while idle fails on first use:
                # that is not the function's failure, so try once on a fresh connection.
                if conn.used and attempt == 1 and isinstance(exc, _CLOSED_WHILE_IDLE):
                    continue
                raise TransportConnectionError(f"{type(exc).__name__}: {exc}") from exc
            conn.used = True
            if response.version == 10 or "close" in (response.getheader("connection") or "").lower():
                self._drop(key)  # the server said it closes this connection
            return answer
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, set()
            self._epoch += 1
        for conn in conns:
            conn.close()
