"""The parquet's statistics screen in a real browser (Debian's chromium), on the real
processes: the four services that count, the gateway and the console. Two referrals
arrive in Moulins (one urgent); the magistrate opens « Statistiques » and reads exact
counts (2, 1: no "<5") beside the department's totals, for the period she chose.
Screenshot: var/test-artifacts/statistics/parquet-statistiques.png."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from gateway.auth.operators import OperatorStore
from gateway.auth.roles import Role
from tgd_contracts.statistics import paris_day
from tgd_servicekit.testing.processes import BIN, free_port, wait_until
from tgd_testkit.tokens import auth_headers

from .test_partners_browser import ZERO, expect, log_in, send_referral

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "statistics"
pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def start(processes, vhost_uri) -> tuple[str, str]:
    processes.env.update({"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.5"})
    for service in ("referral", "evaluation", "device", "alert"):
        processes.start_service(service)
    gateway_port, console_port = free_port(), free_port()
    processes.start_gateway(gateway_port)
    gateway, console = f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{console_port}"
    processes.start(
        "console", [str(BIN / "tgd-console")], {"TGD_GATEWAY_URL": gateway, "TGD_CONSOLE_PORT": str(console_port)}
    )
    parquet = auth_headers("prosecutor", "tj-moulins")
    wait_until(lambda: httpx.get(f"{gateway}/v1/referrals/{ZERO}", headers=parquet).status_code == 404,
               30, "the referral service")  # fmt: skip
    wait_until(lambda: httpx.get(f"{console}/login").status_code == 200, 30, "the console")
    return gateway, console


def test_the_parquet_reads_exact_counts_of_its_court_beside_the_department(processes, vhost_uri, browser):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    gateway, console = start(processes, vhost_uri)
    people = OperatorStore.in_dir(processes.log_dir / "gateway-data")
    _, magistrate = people.register_operator("m.exemple", "Magistrate Fictive", Role.PROSECUTOR, ["tj-moulins"])
    send_referral(gateway, "stats-standard-1", "standard", "EXEMPLE-ORDINAIRE")
    send_referral(gateway, "stats-urgent-1", "urgent", "EXEMPLE-URGENT")
    today = paris_day(datetime.now(UTC)).isoformat()
    url = f"{gateway}/v1/court-statistics"
    query = {"jurisdiction": "tj-moulins", "from": today, "to": today}
    parquet = auth_headers("prosecutor", "tj-moulins")
    wait_until(lambda: httpx.get(url, params=query, headers=parquet).json().get("court", {}).get("referrals", {})
               .get("referrals") == 2, 60, "the four services answering")  # fmt: skip

    page = log_in(browser, console, "m.exemple", magistrate)
    page.click("text=Statistiques")
    page.fill('input[name="du"]', today)
    page.fill('input[name="au"]', today)
    page.click("text=Afficher")
    expect(page.locator("h1")).to_have_text("Statistiques du ressort tj-moulins")
    row = page.locator("tr", has_text="Signalements reçus")
    expect(row.locator("td").nth(2)).to_have_text("2")
    expect(row.locator("td").nth(3)).to_have_text("2")  # nothing in Cusset or Montluçon
    expect(page.locator("tr", has_text="Signalements : Urgents").locator("td").nth(2)).to_have_text("1")
    expect(page.locator("main")).not_to_contain_text("<5")
    expect(page.locator("main")).to_contain_text("heure de Paris")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "parquet-statistiques.png"), full_page=True)
