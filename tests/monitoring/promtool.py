"""promtool for the tests, found on PATH or installed once (tests/support/tools.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..support.tools import require_tool


def require_promtool() -> str:
    """The promtool path, or skip the calling test with the installer's reason."""
    return require_tool("promtool")


def promtool(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_promtool(), *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120)
