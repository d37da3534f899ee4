"""The parquet's stock screen in a real browser (Debian's chromium, Playwright), on the
real processes (device service, gateway, console): the magistrate transfers a terminal
to another court of the department, sees a transfer elsewhere refused in French with
nothing changed, and retires a terminal from stock (retour fournisseur).
Screenshots: var/test-artifacts/devices/*.png."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from gateway.auth.operators import OperatorStore
from gateway.auth.roles import Role
from tgd_servicekit.testing.processes import BIN, free_port, wait_until
from tgd_testkit.tokens import auth_headers

from ..e2e.lifecycle_bodies import device
from .chromium import require_playwright
from .test_partners_browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "devices"
expect = require_playwright().expect


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def states(gateway: str, court: str) -> dict[str, str]:
    found = httpx.get(
        f"{gateway}/v1/devices", params={"jurisdiction": court}, headers=auth_headers("prosecutor", court)
    )
    return {d["terminal_number"]: d["state"] for d in found.json()["items"]}


def test_the_magistrate_transfers_and_retires_terminals_from_the_stock_screen(processes, vhost_uri, browser):
    processes.env.update({"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.5"})
    processes.start_service("device")
    gateway_port, console_port = free_port(), free_port()
    processes.start_gateway(gateway_port)
    gateway, console = f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{console_port}"
    processes.start(
        "console", [str(BIN / "tgd-console")], {"TGD_GATEWAY_URL": gateway, "TGD_CONSOLE_PORT": str(console_port)}
    )
    operator = auth_headers("teleassistance", "*")
    stock_url = f"{gateway}/v1/devices?jurisdiction=tj-moulins"
    wait_until(lambda: httpx.get(stock_url, headers=operator).status_code == 200, 30, "the device service")
    wait_until(lambda: httpx.get(f"{console}/login").status_code == 200, 30, "the console")
    for n, imei in ((1, "490154203237518"), (2, "356938035643809")):
        assert httpx.post(f"{gateway}/v1/devices", json=device(n, imei), headers=operator).status_code == 201
    people = OperatorStore.in_dir(processes.log_dir / "gateway-data")
    _, magistrate = people.register_operator("m.exemple", "Magistrate Fictive", Role.PROSECUTOR, ["tj-moulins"])

    page = log_in(browser, console, "m.exemple", magistrate)
    page.goto(f"{console}/parquet/stock")
    expect(page.locator("h1")).to_have_text("Stock de téléphones du ressort")
    first = page.locator("table.stock tbody tr").first
    expect(first.locator("select[name=to_jurisdiction] option")).to_have_text(
        ["Tribunal judiciaire de Montluçon", "Tribunal judiciaire de Cusset"]
    )  # the other courts of Allier only
    shot(page, "01-stock")

    # a transfer elsewhere (the form tampered with): refused in French, nothing changed
    first.locator("select[name=to_jurisdiction]").evaluate("s => s.options[0].value = 'tj-nanterre'")
    first.locator("form.transfer-form input[name=by]").fill("Greffe fictif")
    first.get_by_role("button", name="Transférer").click()
    expect(page.locator("p.error")).to_contain_text("qu'entre tribunaux du même département")
    assert states(gateway, "tj-moulins") == {"0600000001": "in_stock", "0600000002": "in_stock"}

    # the transfer to Montluçon
    page.goto(f"{console}/parquet/stock")
    first = page.locator("table.stock tbody tr").first
    first.locator("select[name=to_jurisdiction]").select_option("tj-montlucon")
    first.locator("form.transfer-form input[name=by]").fill("Greffe fictif")
    first.get_by_role("button", name="Transférer").click()
    expect(page.locator("p.done")).to_have_text("Terminal transféré.")
    assert states(gateway, "tj-montlucon") == {"0600000001": "in_stock"}

    # the retirement (retour fournisseur)
    row = page.locator("table.stock tbody tr").first
    row.locator("select[name=reason]").select_option("returned_to_supplier")
    row.locator("form.retirement-form input[name=note]").fill("Bon de retour fictif 12")
    row.locator("form.retirement-form input[name=by]").fill("Greffe fictif")
    row.get_by_role("button", name="Retirer du parc").click()
    expect(page.locator("p.done")).to_have_text("Terminal retiré du parc.")
    expect(page.locator("table.stock tbody tr").first).to_contain_text("Retiré du parc")
    expect(page.locator("table.stock tbody tr").first).to_contain_text("Retour fournisseur")
    expect(page.locator("text=RUPTURE DE STOCK")).to_be_visible()
    shot(page, "02-stock-retired")
    assert states(gateway, "tj-moulins") == {"0600000002": "retired"}
