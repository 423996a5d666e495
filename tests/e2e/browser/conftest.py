"""The learner page in a real headless Chromium, on `make run`'s pipeline.

``stack`` is the whole pipeline as ``learnflow up`` starts it (broker, functions,
dispatchers, ingress, the gateway minting dev tokens), once per module and stopped by
PID. ``page`` is a fresh browser page; when a test fails, its screenshot is saved to the
test's output folder (its ``tmp_path``) and the path printed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from learnflow.local.runtime.stack import LocalStack

from ...support.chromium import FLAGS, require_chromium
from ...support.stack import running_stack, stack_options


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with running_stack(stack_options(tmp_path_factory.mktemp("stack") / "logs", gateway_port=0)) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        started = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
        try:
            yield chromium
        finally:
            chromium.close()
    # Whatever Playwright left behind (its driver, a browser process), by PID.
    for proc in started:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(started, timeout=10)


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            shot = tmp_path / "failure.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failed page: {shot}")
        context.close()
