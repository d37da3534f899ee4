"""The API documentation on a machine with no internet (police networks often have none):
Debian's chromium opens /docs and /redoc with every request outside the gateway blocked,
and sees the operations listed. The gateway runs in this process on loopback with the
fake services (the docs need no service)."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import pytest
import uvicorn

from gateway.main import create_app
from gateway.settings import Settings
from tgd_servicekit.testing.processes import free_port, wait_until
from tgd_testkit.fake_services import FakeServices

from .chromium import launched, require_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "docs"

expect = require_playwright().expect

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def gateway_url():
    port = free_port()
    app = create_app(Settings(_env_file=None, data_dir=Path(tempfile.mkdtemp())), rpc=FakeServices())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, timeout=20, what="the gateway to listen")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def offline_page(gateway_url):
    blocked: list[str] = []

    def only_the_gateway(route):
        if route.request.url.startswith(gateway_url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with launched(args=["--no-sandbox"]) as browser:
        context = browser.new_context()
        context.route("**/*", only_the_gateway)
        yield context.new_page(), blocked


def test_swagger_ui_lists_the_operations_offline(gateway_url, offline_page):
    page, blocked = offline_page
    page.goto(f"{gateway_url}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/v1/referrals").first).to_be_visible(timeout=30_000)
    assert page.locator(".opblock").count() > 40
    expect(page.locator(".opblock-tag", has_text="referrals").first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "swagger-offline.png"))
    assert blocked == [], f"the docs tried to reach outside the gateway: {blocked}"


def test_redoc_renders_offline(gateway_url, offline_page):
    page, blocked = offline_page
    page.goto(f"{gateway_url}/redoc")
    expect(page.get_by_text("Refer a victim to the referent association").first).to_be_attached(timeout=30_000)
    assert blocked == [], f"the docs tried to reach outside the gateway: {blocked}"
