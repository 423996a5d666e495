"""The learner gateway as a child process on its own port, the way ``learnflow up`` runs it.

On the laptop the gateway mints learner tokens itself (``POST /session``), signs them
with a key made up for this run, and sets its cookie without ``Secure`` (plain HTTP on
127.0.0.1). None of this is how the cluster runs it: there the key is a Secret and
minting is off (knative/gateway.yaml; a manifest check refuses the flag).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from learnflow.local._process import ChildProcess, free_port, spawn, stop, wait_for_port

HOST = "127.0.0.1"
DEFAULT_PORT = 8090
GATEWAY_SERVICE = "learner-gateway"
"""The Knative Service of the gateway: not a function, so ``learnflow up`` starts it as this."""


def dev_environment(kafka_env: dict[str, str], jwt_key: str | None = None) -> dict[str, str]:
    """The gateway's environment for a laptop run: Kafka, a fresh signing key, minting on."""
    return {
        **kafka_env,
        "LEARNFLOW_GATEWAY_JWT_KEY": jwt_key or secrets.token_urlsafe(48),
        "LEARNFLOW_GATEWAY_DEV_SESSIONS": "true",
        "LEARNFLOW_GATEWAY_COOKIE_SECURE": "false",
    }


class GatewayServer(ChildProcess):
    """``python -m learnflow.gateway`` on ``port``; ``start`` returns once it is ready.

    The gateway binds its port only after it found the end of its topics (uvicorn runs the
    app's start-up first), so a listening port means a ready gateway.
    """

    def __init__(self, *, port: int | None = None, env: dict[str, str] | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port(HOST)
        self.env = env or {}
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "learnflow.gateway", "--host", HOST, "--port", str(self.port)]

    def spawn(self) -> None:
        if self.running():
            return
        self._proc = spawn(self.argv(), env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}, log_path=self.log_path)

    def start(self, timeout: float = 60.0) -> GatewayServer:
        self.spawn()
        try:
            wait_for_port(HOST, self.port, timeout, self.running, "the learner gateway")
        except (RuntimeError, TimeoutError):
            self.stop()
            raise
        return self

    def stop(self) -> int | None:
        if self._proc is None:
            return None
        code = stop(self._proc, signal.SIGTERM, grace=10.0)
        self._proc = None
        return code
