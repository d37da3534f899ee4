"""The operator console in a real browser (Debian's chromium, driven by Playwright), on
the real processes: the alert service, the gateway, the console (``tgd-console``, which
calls the gateway over HTTP with the operator's own token), a stand-in device service, the
reference partner consumers (the police one does not acknowledge by itself: the test
acknowledges as the police unit, so that the operator sees it arrive).

An operator logs in, sees the alert appear live, opens it with the keyboard, takes it,
answers the script, dispatches, and sees the police acknowledgement arrive live.
Screenshots: var/test-artifacts/console/*.png."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest

from gateway.auth.operators import OperatorStore
from tgd_servicekit.testing.processes import BIN, free_port, wait_until
from tgd_testkit.tokens import auth_headers

from ..e2e.alert_system import (
    ASSOCIATION,
    BACKUP,
    CENTRE,
    DEVICE,
    PLATFORM,
    POLICE,
    attribute_device,
    messages,
    prepare,
    start_alert_system,
    start_fake_device,
    start_partner,
    trigger,
)
from .chromium import require_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "console"
DISPATCH = "fr.tgd.partner_dispatch"

expect = require_playwright().expect

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def shots():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)

    def shot(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    return shot


def start_console(processes, gateway: str) -> str:
    """The console, calling this gateway; its address."""
    port = free_port()
    env = {
        "TGD_GATEWAY_URL": gateway,
        "TGD_CONSOLE_PORT": str(port),
        "TGD_CONSOLE_DATA_DIR": str(processes.log_dir / "console-data"),
    }
    processes.start("console", [str(BIN / "tgd-console")], env)
    console = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{console}/login").status_code == 200, 30, "the console")
    return console


def test_an_operator_takes_qualifies_and_dispatches_an_alert_and_sees_the_police_acknowledge(
    processes, vhost_uri, partner_url, tmp_path, browser, shots
):
    police_file, association_file = tmp_path / "police.jsonl", tmp_path / "association.jsonl"
    traces = tmp_path / "traces"
    traces.mkdir()
    prepare(processes, vhost_uri, traces)
    start_fake_device(processes)
    start_partner(processes, partner_url, CENTRE, tmp_path / "centre.jsonl", name="centre")  # the CIC answers
    start_partner(processes, partner_url, POLICE, police_file, "--no-acknowledge")
    start_partner(processes, partner_url, ASSOCIATION, association_file)
    base = start_alert_system(processes, ALERT_FAILSAFE_DELAY_S="300")
    attribute_device(vhost_uri, base, expect_dossier=True)
    _, password = OperatorStore.in_dir(processes.log_dir / "gateway-data").register_operator(
        "c.exemple", "Opératrice Fictive"
    )

    console = start_console(processes, base)
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR", timezone_id="Europe/Paris")
    page.goto(f"{console}/regulation")
    expect(page).to_have_url(re.compile(r"/login$"))  # no session: the login form
    page.fill('input[name="login"]', "c.exemple")
    page.fill('input[name="password"]', "not-the-password")
    page.keyboard.press("Enter")
    expect(page.locator(".error")).to_have_text("Identifiant ou mot de passe incorrect.")
    page.fill('input[name="login"]', "c.exemple")
    page.fill('input[name="password"]', password)
    shots(page, "01-login")
    page.keyboard.press("Enter")
    expect(page.locator("#alerts-title")).to_have_text("Alertes en cours")
    expect(page.locator("#alert-list")).to_contain_text("Aucune alerte en cours.")
    # no notify service here: the platform's reminders are said unavailable, never as the alerts' service
    expect(page.locator("#reminders")).to_contain_text("Rappels indisponibles pour l'instant", timeout=15_000)

    # the alert appears without reloading the page
    response = trigger(base, "press-browser-0001")
    assert response.status_code == 202, response.text
    alert_id = response.json()["alert_id"]
    item = page.locator(f'.alert-item[data-alert-id="{alert_id}"]')
    expect(item).to_be_visible(timeout=10_000)
    expect(item).to_contain_text("En attente d'un opérateur")
    expect(item.locator(".age")).to_contain_text("il y a")
    expect(page).to_have_title(re.compile(r"^\(1\) "))
    shots(page, "02-alert-appears")

    # keyboard only: L focuses the list, Enter opens the dossier, P takes the alert
    page.keyboard.press("l")
    expect(item).to_be_focused()
    outline = item.evaluate("e => parseFloat(getComputedStyle(e).outlineWidth)")
    assert outline >= 4  # a focus that shows on a wall screen
    page.keyboard.press("Enter")
    dossier = page.locator("#dossier")
    expect(dossier.locator("article")).to_have_attribute("data-alert-id", alert_id)
    for french in (
        "Bénéficiaire",
        "EXEMPLE",
        "Auteur",
        "AUTEUR-FICTIF",
        "Ordonnance de protection",
        "précision ± 18 m",
    ):
        expect(dossier).to_contain_text(french)
    expect(dossier.locator("#live-status .banner")).to_be_in_viewport()  # the state, on screen at once
    page.keyboard.press("p")
    expect(dossier.locator(".banner")).to_contain_text("Prise en charge — par c.exemple")

    # the script, answered with the keyboard; what was said is recorded with the answer
    page.keyboard.press("n")
    page.keyboard.type("Propos fictifs : il est devant la porte.")
    page.locator('.answer[data-question="can-talk"][data-answer="yes"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator('.answer[data-question="can-talk"][data-answer="yes"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator('.answer[data-question="author-present"]').first).to_be_focused()  # the next question
    page.locator('.answer[data-question="author-present"][data-answer="yes"]').focus()
    page.keyboard.press("Enter")
    expect(dossier.locator(".suggestion")).to_contain_text("Danger avéré")
    expect(dossier.locator(".journal")).to_contain_text("Propos fictifs : il est devant la porte.")
    expect(dossier.locator(".journal")).to_contain_text("Pouvez-vous parler ? : Oui")  # the question, not its id
    shots(page, "03-dossier-script")

    # D: danger, the forces are alerted; the police unit has not acknowledged yet
    page.keyboard.press("d")
    expect(dossier.locator(".banner")).to_contain_text("Forces alertées")
    police_row = dossier.locator('tr[data-audience="police"]')
    expect(police_row).to_contain_text("En attente depuis", timeout=10_000)
    (dispatch,) = wait_until(lambda: messages(police_file, alert_id, DISPATCH), 15, "the police dispatch")
    expect(dossier.locator('tr[data-audience="association"]')).to_contain_text("Reçu à", timeout=15_000)
    shots(page, "04-dispatched-waiting")

    # the police unit acknowledges (as itself, through the API): the operator sees it arrive
    police_unit = auth_headers("police", "tj-montlucon", unit=POLICE["unit"])
    reply = {"dispatch_id": dispatch["event"]["data"]["dispatch_id"], "recipient": POLICE}
    acked = httpx.post(f"{base}/v1/alerts/{alert_id}/acknowledgements", json=reply, headers=police_unit)
    assert acked.status_code == 200, acked.text
    expect(police_row).to_contain_text("Reçu à", timeout=10_000)
    expect(item).to_contain_text("Accusé(s) reçu(s)")
    shots(page, "05-police-acknowledged")

    # logging out ends the session: the console is the login form again
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(f"{console}/regulation")
    expect(page).to_have_url(re.compile(r"/login$"))

    # the record and the audit log name the operator
    alert = httpx.get(f"{base}/v1/alerts/{alert_id}", headers=PLATFORM).json()
    assert (alert["state"], alert["operator"], alert["outcome"]) == ("dispatched", "c.exemple", "danger")
    assert alert["device_id"] == DEVICE
    audit = (processes.log_dir / "gateway-data" / "audit.jsonl").read_text()
    assert '"client_id":"c.exemple"' in audit.replace(" ", "")
    assert sorted(ARTIFACTS.glob("*.png"))


def log_in(page, console: str, password: str) -> None:
    page.goto(f"{console}/regulation")
    page.fill('input[name="login"]', "c.exemple")
    page.fill('input[name="password"]', password)
    page.keyboard.press("Enter")
    expect(page.locator("#alerts-title")).to_have_text("Alertes en cours")


def test_the_failsafe_and_the_escalation_are_marked_live_when_nobody_answers(
    processes, vhost_uri, partner_url, tmp_path, browser, shots
):
    """No operator takes the alert: the failsafe dispatches it to the CIC; the CIC never
    acknowledges: it is sent again, then escalated to its backup centre, and the operator
    is told to telephone each silent centre, with its number."""
    backup_file = tmp_path / "backup.jsonl"
    traces = tmp_path / "traces"
    traces.mkdir()
    prepare(processes, vhost_uri, traces)
    start_partner(processes, partner_url, BACKUP, backup_file, name="backup")
    base = start_alert_system(
        processes,
        ALERT_FAILSAFE_DELAY_S="3",
        ALERT_ACK_DELAY_S="2",
        ALERT_REPEATS="1",
        ALERT_TICK_S="0.2",
        ALERT_DOSSIER_TIMEOUT_S="0.5",
    )
    attribute_device(vhost_uri, base, expect_dossier=False)  # no device service: no dossier
    _, password = OperatorStore.in_dir(processes.log_dir / "gateway-data").register_operator(
        "c.exemple", "Opératrice Fictive"
    )
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR", timezone_id="Europe/Paris")
    log_in(page, start_console(processes, base), password)

    alert_id = trigger(base, "press-browser-0002").json()["alert_id"]
    item = page.locator(f'.alert-item[data-alert-id="{alert_id}"]')
    item.click()  # one click opens the dossier; nobody takes it
    dossier = page.locator("#dossier")
    expect(dossier).to_contain_text("Aucun dossier pour ce téléphone")
    expect(dossier.locator(".mark.failsafe")).to_contain_text("SÉCURITÉ", timeout=15_000)
    expect(dossier.locator(".banner")).to_contain_text("Forces alertées")
    expect(dossier.locator(".mark.escalation")).to_contain_text("ESCALADE", timeout=20_000)
    expect(dossier.locator('tr[data-step="backup"]')).to_contain_text("Reçu à", timeout=15_000)
    centre = dossier.locator('tr[data-step="centre"]')
    expect(centre).to_contain_text("En attente depuis")
    expect(centre).to_contain_text("01 99 00 03 17")
    expect(centre.locator("td").nth(3)).to_have_text("2")  # sent, then sent again (the ladder's second rung)
    call = dossier.locator(".mark.call")
    expect(call).to_contain_text("TÉLÉPHONER MAINTENANT au CIC fictif de l'Allier — 01 99 00 03 17")
    expect(dossier.locator('[data-part="routed-to"]')).to_contain_text("Acheminée selon son domicile")
    expect(dossier.locator('tr[data-audience="gendarmerie"]')).to_have_count(0)  # never the other force
    expect(dossier.locator(".mark.repeat")).to_contain_text("relance")
    expect(item).to_contain_text("Forces alertées")
    # the buttons of a raised alert went with the state: only closing is left
    expect(dossier.locator(".act")).to_have_count(1)
    expect(dossier.locator('.act[data-action="close"]')).to_be_visible()
    expect(dossier.locator(".script")).to_have_count(0)
    shots(page, "06-failsafe-escalation")


STATS_SERVICES = ("referral", "evaluation", "device", "notify", "alert")


def test_the_operator_opens_the_observatory_statistics_and_the_plots_load(processes, vhost_uri, browser, shots):
    """The whole system, seeded with the fictional demo data of tj-montlucon (`tgd-dev seed`):
    the operator goes to the statistics from the header's link, picks a jurisdiction
    and a period with the keyboard, and the four plots load (read through the API as the
    operator); the CSV downloads."""
    from typer.testing import CliRunner

    from tgd_dev.main import app as cli

    processes.env.update({"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.5"})
    for service in STATS_SERVICES:
        processes.start_service(service)
    port = free_port()
    processes.start_gateway(port)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")
    data_dir = processes.log_dir / "gateway-data"
    seeded = CliRunner().invoke(cli, ["seed", "--gateway", base, "--data-dir", str(data_dir), "-j", "tj-montlucon"])
    assert seeded.exit_code == 0, seeded.output
    _, password = OperatorStore.in_dir(data_dir).register_operator("c.exemple", "Opératrice Fictive")

    console = start_console(processes, base)
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR", timezone_id="Europe/Paris")
    log_in(page, console, password)
    # the header's link (access key S: Alt+S in Chromium, which a synthetic key press does not
    # trigger in headless mode): reached by the keyboard, opened with Enter
    link = page.locator('header a[accesskey="s"]')
    expect(link).to_have_text("Statistiques")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/regulation/stats$"))
    expect(page.locator("#stats-title")).to_have_text("Statistiques de l'observatoire")
    expect(page.locator('nav a[aria-current="page"]')).to_have_text("Statistiques")

    # keyboard only: the jurisdiction, the period, Enter
    page.locator("#jurisdiction").focus()
    page.select_option("#jurisdiction", "tj-montlucon")
    page.keyboard.press("Tab")
    expect(page.locator("#from")).to_be_focused()
    page.locator("#from").fill("2020-01-01")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/regulation/stats\?jurisdiction=tj-montlucon&from=2020-01-01&to=\d{4}-"))
    expect(page.locator('#jurisdiction option[value="tj-montlucon"]')).to_have_attribute("selected", "")

    plots = page.locator("img[data-plot]")
    expect(plots).to_have_count(4)
    page.wait_for_function(
        "() => [...document.querySelectorAll('img[data-plot]')].every(i => i.complete && i.naturalWidth > 0)",
        timeout=30_000,
    )
    widths = plots.evaluate_all("imgs => imgs.map(i => [i.dataset.plot, i.naturalWidth])")
    assert [name for name, _ in widths] == ["activity", "withdrawals", "alerts", "delays"]
    assert all(width > 0 for _, width in widths), widths
    referrals = page.locator('tr[data-figure="referrals.referrals"] td')
    expect(referrals).to_have_text("12")  # the seed plan's referrals of tj-montlucon
    expect(page.locator('tr[data-figure="referrals.urgent"] td')).to_have_text("5")
    expect(page.locator('tr[data-figure="evaluations.refusals"] td')).to_have_text("< 5")  # 2 refusals
    shots(page, "07-stats")
    page.screenshot(path=str(ARTIFACTS / "07-stats-full.png"), full_page=True)

    # the CSV, downloaded with the session (the page's own cookie)
    href = page.locator("a[download]").get_attribute("href")
    csv_file = page.request.get(f"{console}{href}")
    assert csv_file.status == 200
    assert csv_file.headers["content-type"].startswith("text/csv")
    assert csv_file.text().startswith("jurisdiction,starts_on,ends_on,section,measure,category,value,suppressed")
