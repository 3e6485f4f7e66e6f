"""Browser tests: Debian's Chromium (``/usr/bin/chromium``) driven by Playwright against a live server.

The server is the real app (``web.create_app``) on a fresh SQLite installation seeded
like the integration tests' court, served by Werkzeug on 127.0.0.1 in a thread. Each
test saves a screenshot of the page it ended on under ``tests/e2e/artifacts/``
(git-ignored). Without Chromium the tests are skipped, except with ``CI=true``, where
that is a failure: the CI script installs the ``chromium`` package first.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page
from werkzeug.serving import make_server

from tests.integration.web_support import PASSWORD, Court, make_app, seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"


@dataclass
class LiveCourt:
    url: str
    app: Flask
    court: Court


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCourt]:
    # The server runs on the pinned court clock, Chromium on the real one: a session cookie that expires ten
    # hours after the pinned instant would already be stale in the browser, so these sessions live on.
    app = make_app(tmp_path_factory.mktemp("e2e") / "var", PERMANENT_SESSION_LIFETIME=timedelta(days=36500))
    court = seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="medcourt-e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveCourt(f"http://127.0.0.1:{server.server_port}", app, court)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["medcourt"].close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies) preferring English; its last page is saved as a screenshot."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        opened.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()


def sign_in(page: Page, live: LiveCourt, username: str) -> None:
    page.goto(f"{live.url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
