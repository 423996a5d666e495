"""Fault injection without touching the parts under test.

``FaultyTransport`` wraps the dispatcher's transport to a function: it can answer 500
instead of the function, or let the function work and answer only after the delivery
timeout. It records every 2xx delivered, by CloudEvent id: the soak's ledger. ``DroppingTcpProxy`` stands between every Kafka client and the broker and can
cut every connection at once and refuse new ones for a while: a network partition
without losing the in-memory broker's data.
"""

from __future__ import annotations

import random
import select
import socket
import threading
import time
from collections.abc import Callable, Mapping

from learnflow.local.runtime.transport import HttpAnswer, Transport, TransportTimeout

OnAccepted = Callable[[str, float], None]


class FaultyTransport:
    """The dispatcher's transport to one function, with knobs: ``fail_ratio``, ``slow_ratio``.

    A failing request is answered 500 without reaching the function; a slow one reaches
    it, but its answer comes only after the per-attempt timeout (the dispatcher gives up
    and retries, while the function has done the work). Every 2xx that reaches the
    dispatcher is reported by CloudEvent id: that is the soak's ledger of deliveries.
    Injected at the transport seam, not by a proxy process: a proxy's extra HTTP hop
    cost more CPU than the pipeline itself on two cores.
    """

    def __init__(self, inner: Transport, on_accepted: OnAccepted, *, seed: int = 0) -> None:
        self.inner = inner
        self.on_accepted = on_accepted
        self.fail_ratio = 0.0
        self.slow_ratio = 0.0
        self.injected: dict[str, int] = {"500": 0, "slow": 0}
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def _decide(self) -> str:
        with self._lock:
            roll = self._rng.random()
            if roll < self.fail_ratio:
                self.injected["500"] += 1
                return "fail"
            if roll < self.fail_ratio + self.slow_ratio:
                self.injected["slow"] += 1
                return "slow"
        return "pass"

    def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> HttpAnswer:
        decision = self._decide()
        if decision == "fail":
            return HttpAnswer(500, {"content-type": "text/plain"}, b"injected failure")
        started = time.monotonic()
        answer = self.inner.post(url, headers, body, timeout)
        if decision == "slow":
            time.sleep(max(0.0, timeout - (time.monotonic() - started)))
            raise TransportTimeout(f"no answer within {timeout:g} s (injected)")
        if 200 <= answer.status < 300:
            self.on_accepted(headers.get("ce-id", ""), time.time())
        return answer

    def close(self) -> None:
        self.inner.close()


class DroppingTcpProxy:
    """Forwards ``listen_port`` to ``target_port``; ``cut(seconds)`` drops every connection."""

    def __init__(self, listen_port: int, target_port: int, host: str = "127.0.0.1") -> None:
        self.host, self.listen_port, self.target_port = host, listen_port, target_port
        self.cuts = 0
        self._refuse_until = 0.0
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = socket.create_server((host, listen_port), reuse_port=False)
        self._listener.settimeout(0.2)
        self._thread = threading.Thread(target=self._accept_loop, name="tcp-proxy", daemon=True)

    def start(self) -> DroppingTcpProxy:
        self._thread.start()
        return self

    def cut(self, seconds: float) -> None:
        """Close every connection now and refuse new ones for ``seconds``."""
        self.cuts += 1
        self._close_all(seconds)

    def _close_all(self, refuse_for: float) -> None:
        with self._lock:
            self._refuse_until = time.monotonic() + refuse_for
            pairs, self._pairs = self._pairs, set()
        for a, b in pairs:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(2)
        self._listener.close()
        self._close_all(0)

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if time.monotonic() < self._refuse_until:
                client.close()
                continue
            try:
                upstream = socket.create_connection((self.host, self.target_port), timeout=2)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.add((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        try:
            while True:
                readable, _, _ = select.select(list(peers), [], [], 1.0)
                if self._stopping.is_set():
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    peers[s].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                self._pairs.discard((a, b))
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass
