"""Fixtures for the analytics and API tests: one demo court, its users and their API tokens.

The demo is ``scripts.demo.generate`` (the same stories ``medcourt demo`` tells, five years of
cases through the docket services), small enough to build in seconds and large enough that
every measure has figures and some cells are small (1-4), which public outputs must hide.
Test modules import the fixtures they use (``demo``, ``api_client``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scripts.demo import generate
from tests.court_clock import COURT_TODAY
from tests.integration.web_support import PASSWORD, make_app, sign_in

DEMO_CASES = 160
DEMO_SEED = 11
USERS = (("analyst", "analyst", None), ("admin", "admin", None), ("clerk", "clerk", "ALA"), ("judge_ala", "judge", "ALA"))


@dataclass
class Demo:
    app: Flask
    var_dir: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, username: str | None = None) -> FlaskClient:
        """A browser-like client, signed in as ``username`` if given."""
        client = self.app.test_client()
        if username:
            sign_in(client, username)
        return client

    def api(self, username: str) -> ApiClient:
        return ApiClient(self.app.test_client(), self.tokens[username])


@dataclass
class ApiClient:
    """A program calling /api with a token: no cookies, no CSRF token."""

    client: FlaskClient
    token: str

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.client.post(path, data=json.dumps(body if body is not None else {}), content_type="application/json",
                                headers={"Authorization": f"Bearer {self.token}"}, **kwargs)


def build_demo(var_dir: Path) -> Demo:
    app = make_app(var_dir)
    services = app.extensions["medcourt"]
    world = generate(services.docket, DEMO_CASES, DEMO_SEED, COURT_TODAY)  # up to the pinned court date, not a moment later
    services.views_current()  # project the whole log once
    demo = Demo(app=app, var_dir=var_dir)
    judge_id = max(world.judges["ALA"], key=lambda j: (world.assigned[j], j))
    for username, role, court in USERS:
        services.accounts.create_user(username, PASSWORD, role, court=court, judge_id=judge_id if role == "judge" else None, language="en")
        demo.tokens[username], _record = app.extensions["medcourt_api_tokens"].create(username, name="tests", created_by="tests")
    return demo


@pytest.fixture(scope="session", name="demo")
def demo_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """One demo court for the whole session (read-only tests share it)."""
    demo = build_demo(tmp_path_factory.mktemp("analytics") / "var")
    yield demo
    demo.app.extensions["medcourt"].close()
