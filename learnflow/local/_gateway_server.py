"""The learner gateway as a child process on its own port, the way ``learnflow up`` runs it.

On the laptop the gateway mints learner tokens itself (``POST /session``), signs them
with a key made up for this run, and sets its cookie without ``Secure`` (plain HTTP on
127.0.0.1). None of this is how the cluster runs it: there tokens come from an OpenID
Connect provider and no shared key exists (knative/gateway.yaml; a manifest check refuses
the flag, a shared key and a missing issuer).
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

from learnflow.local._process import ServerProcess, free_port

HOST = ServerProcess.HOST
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


class GatewayServer(ServerProcess):
    """``python -m learnflow.gateway`` on ``port``; ``start`` returns once it is ready.

    The gateway binds its port only after it found the end of its topics (uvicorn runs the
    app's start-up first), so a listening port means a ready gateway.
    """

    label = "the learner gateway"
    grace = 10.0  # open streams end cleanly on SIGTERM
    start_timeout = 60.0  # it listens only once its reader found the end of both topics

    def __init__(self, *, port: int | None = None, env: dict[str, str] | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port(HOST)
        self.env = env or {}
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "learnflow.gateway", "--host", HOST, "--port", str(self.port)]
