"""The system tools the tests run (promtool, chromium): found on PATH, or installed once.

scripts/install-test-tools.sh installs them all; the Makefile's test target runs it first,
so this only matters when pytest is run by hand. A test that needs a tool skips, saying
why, only when it is missing and cannot be installed (no apt-get, not root).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "scripts" / "install-test-tools.sh"


@functools.cache
def _install() -> str:
    """Run the installer once per session and keep what it said, for a skip's reason."""
    result = subprocess.run(["sh", str(INSTALLER)], capture_output=True, text=True, timeout=900)
    return (result.stdout + result.stderr).strip()


def require_tool(name: str) -> str:
    """The tool's path, or skip the calling test with the installer's reason."""
    found = shutil.which(name)
    if found:
        return found
    log = _install()
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is missing and {INSTALLER.name} could not install it: {log or 'no output'}")
    return found
