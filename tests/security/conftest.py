"""Helpers of the security suite (issue 17, hardening against a hostile partner): a gateway
in process on the fake services, the console (console/) on it, and its login form."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient
from tgd_console.app import create_app as create_console
from tgd_console.settings import Settings as ConsoleSettings

from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices


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
def people_console(tmp_path):
    """``people_console(**console_settings)`` -> (console app, gateway app): the console
    calling a gateway in process (fake services) over its ASGI transport. Use its
    TestClients as context managers (the console opens its gateway client at startup)."""

    def build(**settings):
        gateway = create_app(
            Settings(data_dir=tmp_path, rate_per_s=1e6, rate_burst=10**6), rpc=FakeServices(lambda o: "tj-moulins")
        )
        console = create_console(
            ConsoleSettings(data_dir=tmp_path / "console", **settings), transport=httpx.ASGITransport(app=gateway)
        )
        return console, gateway

    return build


@pytest.fixture
def console_login():
    """``console_login(client, login, password)`` -> the response to the login form."""

    def login(client, login, password):
        page = client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return client.post("/login", data={"csrf": csrf, "login": login, "password": password},
                           follow_redirects=False)  # fmt: skip

    return login
