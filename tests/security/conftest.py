"""Helpers of the security suite (issue 17, hardening against a hostile partner): a gateway
in process on the fake services, and the console's login form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from gateway.testing.fake_services import FakeServices


@pytest.fixture
def gateway(tmp_path):
    """``gateway(**settings)`` -> (app, client): fake services, every object in tj-moulins."""

    def build(**settings):
        app = create_app(
            Settings(data_dir=tmp_path, rate_per_s=1e6, rate_burst=10**6, **settings),
            rpc=FakeServices(lambda object_id: "tj-moulins"),
        )
        return app, TestClient(app, raise_server_exceptions=False)

    return build


@pytest.fixture
def console_login():
    """``console_login(client, login, password)`` -> the response to the login form."""

    def login(client, login, password):
        page = client.get("/console/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return client.post("/console/login", data={"csrf": csrf, "login": login, "password": password},
                           follow_redirects=False)  # fmt: skip

    return login
