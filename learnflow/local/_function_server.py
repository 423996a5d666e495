"""A function running under functions-framework, as a child process on its own port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from learnflow.local._process import ChildProcess, free_port, spawn, stop, wait_for_port

HOST = "127.0.0.1"
FUNCTIONS_ROOT = Path(__file__).resolve().parents[2] / "functions"


def function_source(folder: str) -> Path:
    return FUNCTIONS_ROOT / folder / "main.py"


class FunctionServer(ChildProcess):
    """``functions-framework --target T --source functions/<folder>/main.py`` on a port."""

    def __init__(
        self,
        folder: str,
        target: str = "handle",
        signature_type: str = "cloudevent",
        *,
        port: int | None = None,
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
        source: Path | None = None,
    ) -> None:
        self.folder = folder
        self.target = target
        self.signature_type = signature_type
        self.port = port or free_port(HOST)
        self.env = env or {}
        self.log_path = log_path
        self.source = source or function_source(folder)
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def argv(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "functions_framework",
            "--target",
            self.target,
            "--source",
            str(self.source),
            "--signature-type",
            self.signature_type,
            "--host",
            HOST,
            "--port",
            str(self.port),
        ]

    def spawn(self) -> None:
        """Launch the process without waiting for it to listen (see ``start``)."""
        if self.running():
            return
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        self._proc = spawn(self.argv(), env=env, log_path=self.log_path)

    def start(self, timeout: float = 30.0) -> FunctionServer:
        """Launch (unless ``spawn`` already did) and wait until the port accepts connections."""
        self.spawn()
        try:
            wait_for_port(HOST, self.port, timeout, self.running, f"function {self.folder}.{self.target}")
        except (RuntimeError, TimeoutError):
            self.stop()
            raise
        return self

    def stop(self) -> int | None:
        if self._proc is None:
            return None
        code = stop(self._proc, signal.SIGTERM, grace=5.0)
        self._proc = None
        return code
