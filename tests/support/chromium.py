"""Debian's chromium for the browser tests, driven by Playwright for Python.

Playwright's own browser download (``playwright install``) needs an internet this project
may not have; the tests point it at ``/usr/bin/chromium`` instead, installed once by
scripts/install-test-tools.sh as promtool is. A test that needs it skips, saying why,
only when it is missing and cannot be installed.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "scripts" / "install-test-tools.sh"

# Headless and quiet: no GPU, no sandbox (tests run as root in CI, where Chromium's
# sandbox refuses to start), no shared-memory size assumptions, no calls home.
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-first-run",
    "--mute-audio",
]


@functools.cache
def _find_or_install() -> tuple[str | None, str]:
    found = shutil.which("chromium")
    if found:
        return found, ""
    result = subprocess.run(["sh", str(INSTALLER)], capture_output=True, text=True, timeout=900)
    found = shutil.which("chromium")
    return found, (result.stdout + result.stderr).strip()


def require_chromium() -> str:
    """The chromium path, or skip the calling test with the installer's reason."""
    path, log = _find_or_install()
    if path is None:
        pytest.skip(f"chromium is missing and {INSTALLER.name} could not install it: {log or 'no output'}")
    return path
