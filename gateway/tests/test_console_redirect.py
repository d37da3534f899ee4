"""The operator console left the gateway (console/): its old address only redirects to
the console's operator screen, for anyone, with nothing of the old console left."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices


def test_the_old_console_address_redirects_to_the_console_s_operator_screen(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, console_url="https://console.tgd.example/"), rpc=FakeServices())
    client = TestClient(app)
    for path in ("/console", "/console/", "/console/login", "/console/alerts/" + "0" * 32, "/console/stats"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 308, path
        assert response.headers["location"] == "https://console.tgd.example/regulation"
    assert client.post("/console/login", data={"login": "x"}).status_code in (404, 405, 415)  # no login form here
    assert "/console" not in str(client.get("/openapi.json").json()["paths"])  # not part of the API
