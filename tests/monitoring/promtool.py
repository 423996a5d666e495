"""promtool for the tests: found on PATH, or installed once by scripts/install-test-tools.sh.

A test that needs it skips, saying why, only when it is missing and cannot be installed
(no apt-get, not root): the Makefile's test target runs the script first anyway.
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
def _find_or_install() -> tuple[str | None, str]:
    found = shutil.which("promtool")
    if found:
        return found, ""
    result = subprocess.run(["sh", str(INSTALLER)], capture_output=True, text=True, timeout=600)
    found = shutil.which("promtool")
    return found, (result.stdout + result.stderr).strip()


def require_promtool() -> str:
    """The promtool path, or skip the calling test with the installer's reason."""
    path, log = _find_or_install()
    if path is None:
        pytest.skip(f"promtool is missing and {INSTALLER.name} could not install it: {log or 'no output'}")
    return path


def promtool(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_promtool(), *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120)
