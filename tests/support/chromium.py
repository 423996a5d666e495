"""Debian's chromium for the browser tests, driven by Playwright for Python.

Playwright's own browser download (``playwright install``) needs an internet this project
may not have; the tests point it at ``/usr/bin/chromium`` instead, installed once by
scripts/install-test-tools.sh as promtool is (tests/support/tools.py).
"""

from __future__ import annotations

from .tools import require_tool

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


def require_chromium() -> str:
    """The chromium path, or skip the calling test with the installer's reason."""
    return require_tool("chromium")
