"""The embedded receiver in a process of its own, as ``learnflow up`` runs it.

Why not a thread of the runtime's process, where it began: every span of the stack
arrives there as OTLP protobuf, and decoding it (the request, then each span and
attribute) is Python work that holds the GIL the dispatchers' threads need to deliver
records. Profiled at saturation it took about a twentieth of the dispatcher's process,
and the pipeline benchmark lost markedly more with the receiver inside (bench/tracing.py,
``embedded``) than with it outside (``otlp``). In a process of its own it costs the
dispatchers a core's share on a busy machine, not their lock. ``learnflow trace``
already asked it over HTTP, so nothing else changes.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from learnflow.local._process import ServerProcess, free_port


class ReceiverProcess(ServerProcess):
    """``python -m learnflow.local.traces HOST PORT``: the receiver and its store, stopped by PID."""

    label = "the embedded trace receiver"

    def __init__(self, host: str = "127.0.0.1", port: int = 4318, log_path: Path | None = None) -> None:
        self.HOST = host
        self.port = port or free_port(host)  # chosen here: the parent must know where to send
        self.env = {}
        self.log_path = log_path

    @property
    def url(self) -> str:
        return f"http://{self.HOST}:{self.port}"

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "learnflow.local.traces", self.HOST, str(self.port)]


def serve(host: str, port: int) -> None:
    """Run the receiver until SIGTERM or SIGINT (what ``ServerProcess.stop`` sends)."""
    from learnflow.local.traces._receiver import ReceiverServer

    server = ReceiverServer(host=host, port=port).start()
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    server.stop()
