"""A function running under functions-framework, as a child process on its own port."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from learnflow.local._process import ServerProcess, free_port

HOST = ServerProcess.HOST
FUNCTIONS_ROOT = Path(__file__).resolve().parents[2] / "functions"


def function_source(folder: str) -> Path:
    return FUNCTIONS_ROOT / folder / "main.py"


class FunctionServer(ServerProcess):
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
        self.label = f"function {folder}.{target}"
        self._proc: subprocess.Popen[bytes] | None = None

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
