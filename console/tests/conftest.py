"""The console against the real gateway app in process (its access table, its token
endpoint) with fake services behind it: what the console sends is what a partner's
call would be, refused or allowed by the same rules."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient
from tgd_console.app import create_app
from tgd_console.settings import Settings

from gateway.auth.operators import OperatorStore
from gateway.auth.roles import Role
from gateway.main import create_app as create_gateway
from gateway.settings import Settings as GatewaySettings
from tgd_testkit.fake_services import FakeServices


class People:
    def __init__(self, store: OperatorStore):
        self.store = store
        self.passwords: dict[str, str] = {}
        self.gateway = None

    def add(self, login: str, role: Role, courts: list[str] | None = None) -> str:
        _, self.passwords[login] = self.store.register_operator(login, "Personne Fictive", role, courts)
        return login


@pytest.fixture
def world(tmp_path):
    services = FakeServices(lambda object_id: "tj-moulins")
    gateway = create_gateway(GatewaySettings(data_dir=tmp_path), rpc=services)
    people = People(OperatorStore.in_dir(tmp_path))
    people.gateway = gateway  # the gateway app, for what a test checks at the API
    people.add("m.exemple", Role.PROSECUTOR, ["tj-moulins"])
    people.add("a.exemple", Role.ASSOCIATION, ["tj-moulins"])
    people.add("c.exemple", Role.TELEASSISTANCE)
    app = create_app(Settings(data_dir=tmp_path / "console"), transport=httpx.ASGITransport(app=gateway))
    with TestClient(app, base_url="http://testserver") as client:
        yield client, services, people


def log_in(client: TestClient, people: People, login: str):
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return client.post(
        "/login", data={"csrf": csrf, "login": login, "password": people.passwords[login]}, follow_redirects=False
    )


def csrf_of(page_text: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_text).group(1)
