"""Headless Debian chromium through Playwright, for the web-page tests: skipped where it cannot run,
a failure in CI (where .ci/run installs it). Never downloads a browser."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-default-apps", "--disable-extensions"]


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


def launch():
    """(playwright, browser): the caller stops both."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    executable = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not executable:
        _unavailable("no chromium (apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        return playwright, playwright.chromium.launch(executable_path=str(executable), args=ARGS)
    except Exception as exc:
        playwright.stop()
        _unavailable(f"chromium does not start: {exc}")


class Watched:
    """A page whose console errors, uncaught exceptions and network requests are recorded."""

    def __init__(self, browser, **context):
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path):
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        return self.page

    def assert_quiet(self):
        """No console error (a Content-Security-Policy violation is one) and no request but the file itself."""
        assert self.errors == []
        assert set(self.requests) <= {self.url}, self.requests

    def close(self):
        self.context.close()
