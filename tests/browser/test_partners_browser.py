"""The parquet's and the association's screens in a real browser (Debian's chromium,
driven by Playwright), on the real processes: referral, evaluation and device services,
the gateway, and the console (``tgd-console``) calling the gateway over HTTP with each
person's own token.

A referral arrives; the magistrate sees it on top of the inbox and sends the
requisition with a due date (already passed: flagged late on both screens); the
association answers with its report, the risk grid's items listed from the instrument;
the association records a follow-up contact, what became of the referral (sent for an
evaluation) and how to reach her safely; the magistrate reads the report in full (and the
follow-up, the orientation, the safe contact), records the consent, decides with the
eligibility facts (shown with the rule's verdict); the measure is shown in progress
with its end date and renewals, and the court's stock (empty: flagged); the measure ends,
withdrawn at the parquet's request with the steering committee's opinion.
Screenshots: var/test-artifacts/partners/*.png."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from gateway.auth.operators import OperatorStore
from gateway.auth.roles import Role
from tgd_servicekit.testing.processes import BIN, free_port, wait_until
from tgd_testkit.tokens import auth_headers

from ..e2e.lifecycle_bodies import referral
from .chromium import require_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "partners"
ZERO = "0" * 32

expect = require_playwright().expect

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def start_system(processes, vhost_uri) -> tuple[str, str]:
    processes.env.update({"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.5"})
    for service in ("referral", "evaluation", "device"):
        processes.start_service(service)
    gateway_port, console_port = free_port(), free_port()
    processes.start_gateway(gateway_port)
    gateway = f"http://127.0.0.1:{gateway_port}"
    console_env = {"TGD_GATEWAY_URL": gateway, "TGD_CONSOLE_PORT": str(console_port)}
    processes.start("console", [str(BIN / "tgd-console")], console_env)
    parquet = auth_headers("prosecutor", "tj-moulins")
    wait_until(lambda: httpx.get(f"{gateway}/v1/referrals/{ZERO}/measure", headers=parquet).status_code == 404,
               30, "the evaluation service")  # fmt: skip
    wait_until(lambda: httpx.get(f"{gateway}/v1/referrals/{ZERO}", headers=parquet).status_code == 404,
               30, "the referral service")  # fmt: skip
    console = f"http://127.0.0.1:{console_port}"
    wait_until(lambda: httpx.get(f"{console}/login").status_code == 200, 30, "the console")
    return gateway, console


def send_referral(gateway: str, key: str, urgency: str, surname: str) -> str:
    body = {**referral(surname, "Faits entièrement fictifs <b>non interprétés</b>."), "urgency": urgency}
    headers = {**auth_headers("referrer", "tj-moulins"), "Idempotency-Key": key}
    response = httpx.post(f"{gateway}/v1/referrals", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def log_in(browser, console: str, login: str, password: str):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="fr-FR", timezone_id="Europe/Paris")
    page.goto(f"{console}/")
    page.fill('input[name="login"]', login)
    page.fill('input[name="password"]', password)
    page.click("text=Se connecter")
    return page


def test_a_referral_becomes_a_measure_through_the_parquet_s_and_the_association_s_screens(
    processes, vhost_uri, browser
):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    gateway, console = start_system(processes, vhost_uri)
    people = OperatorStore.in_dir(processes.log_dir / "gateway-data")
    _, magistrate = people.register_operator("m.exemple", "Magistrate Fictive", Role.PROSECUTOR, ["tj-moulins"])
    _, worker = people.register_operator("a.exemple", "Intervenante Fictive", Role.ASSOCIATION, ["tj-moulins"])

    send_referral(gateway, "browser-standard-1", "standard", "EXEMPLE-ORDINAIRE")
    urgent = send_referral(gateway, "browser-urgent-1", "urgent", "EXEMPLE-URGENT")
    opened = f"{gateway}/v1/referrals/{urgent}/measure"
    parquet_token = auth_headers("prosecutor", "tj-moulins")
    wait_until(lambda: httpx.get(opened, headers=parquet_token).status_code == 200, 30, "the measure opened")

    # the parquet: the urgent referral on top; the requisition, due yesterday
    parquet = log_in(browser, console, "m.exemple", magistrate)
    expect(parquet.locator("h1")).to_have_text("Signalements reçus")
    first = parquet.locator("table.list tbody tr").first
    expect(first).to_contain_text("Urgent")
    first.locator("text=Ouvrir le dossier").click()
    expect(parquet.locator("section")).to_contain_text(["EXEMPLE-URGENT"])
    expect(parquet.locator("dd.text").first).to_have_text("Faits entièrement fictifs <b>non interprétés</b>.")
    parquet.fill('input[name="requested_by"]', "Parquet fictif de Moulins")
    parquet.fill('input[name="due_on"]', (date.today() - timedelta(days=1)).isoformat())
    parquet.click("text=Envoyer la réquisition")
    expect(parquet.locator(".state")).to_have_text("Réquisition envoyée (rapport attendu)")
    expect(parquet.locator(".late")).to_have_text("EN RETARD")
    parquet.goto(f"{console}/parquet")
    expect(parquet.locator("table.list tbody tr").first).to_contain_text("EN RETARD")
    shot(parquet, "01-parquet-inbox")

    # the association: the late requisition, the report form with the grid's 27 items
    association = log_in(browser, console, "a.exemple", worker)
    expect(association.locator("#requisitions + table")).to_contain_text("EN RETARD")
    association.locator("text=Rédiger le rapport").click()
    form = association.locator("form.report-form")
    expect(form.locator("fieldset.grid-items tbody tr")).to_have_count(27)
    for textarea in form.locator("textarea[required]").all():
        textarea.fill("Élément fictif.")
    for select in form.locator('select[name$="-level"]').all():
        select.select_option("high")
    for n in range(1, 16):
        form.locator(f'input[name="item-q{n:02d}"][value="yes"]').check()
    shot(association, "02-association-report-form")
    form.locator("text=Transmettre le rapport au parquet").click()
    expect(association.locator(".done")).to_have_text("Rapport transmis au parquet.")
    contact = association.locator("form.contact-form")  # the follow-up: a contact, dated, of a nature
    contact.locator('input[name="on"]').fill(date.today().isoformat())
    contact.locator('select[name="nature"]').select_option("home_visit")
    contact.locator('input[name="by"]').fill("Intervenante fictive")
    contact.locator("text=Enregistrer le contact").click()
    expect(association.locator(".done")).to_have_text("Contact enregistré.")
    expect(association.locator("table.contacts tbody tr").first).to_contain_text("Visite à domicile")
    orientation = association.locator("form.orientation-form")  # what became of the referral
    orientation.locator('select[name="kind"]').select_option("evaluation")
    orientation.locator('input[name="on"]').fill(date.today().isoformat())
    orientation.locator('input[name="recorded_by"]').fill("Intervenante fictive")
    orientation.locator("text=Enregistrer l'orientation").click()
    expect(association.locator(".done")).to_have_text("Orientation enregistrée.")
    reach = association.locator("form.contact-details-form")  # how to reach her safely
    reach.locator('input[name="phone"]').fill("06 00 00 00 42")
    reach.locator('input[name="safe_times"]').fill("En semaine, 9h-11h (fictif)")
    reach.locator("text=Enregistrer les coordonnées").click()
    expect(association.locator(".done")).to_have_text("Coordonnées enregistrées.")
    expect(association.locator("section.safe-contact")).to_contain_text("06 00 00 00 42")
    shot(association, "02b-association-orientation-safe-contact")

    # the parquet reads the report in full, records the consent, decides
    parquet.goto(f"{console}/parquet/referrals/{urgent}")
    report = parquet.locator("section.report")
    expect(report).to_contain_text("Niveau de danger retenu : Élevé")
    expect(report.locator("table.grid tbody tr")).to_have_count(27)
    expect(report.locator("table.grid tbody tr").first).to_contain_text("Oui")
    expect(parquet.locator("table.contacts")).to_contain_text("Visite à domicile")
    expect(parquet.locator("table.orientations")).to_contain_text("Évaluation en vue d'un téléphone grave danger")
    expect(parquet.locator("section.safe-contact")).to_contain_text("Non : ne pas laisser de message")
    parquet.check('input[name="given"][value="yes"]')
    parquet.fill('input[name="collected_by"]', "Greffe fictif")
    parquet.fill('input[name="collected_on"]', date.today().isoformat())
    parquet.click("text=Enregistrer le consentement")
    parquet.check('input[name="granted"][value="yes"]')
    parquet.select_option('select[name="relationship"]', "former_spouse")  # the eligibility facts
    parquet.select_option('select[name="danger"]', "conjugal_violence")
    parquet.check('input[name="separated"][value="yes"]')
    parquet.fill('textarea[name="reasons"]', "Danger grave et actuel (motifs fictifs).")
    parquet.fill('input[name="decided_by"]', "Parquet fictif de Moulins")
    parquet.click("text=Enregistrer la décision")
    expect(parquet.locator(".state")).to_have_text("Mesure en cours")
    expect(parquet.locator("form.step h2")).to_contain_text(["Renouvellement", "Retrait du dispositif"])
    expect(parquet.locator("dd.eligibility")).to_contain_text("Lien avec l'auteur : Ancien conjoint")
    expect(parquet.locator("section", has_text="Conditions d'attribution")).to_contain_text("Remplies")
    shot(parquet, "03-parquet-decision")

    parquet.click("text=Mesures en cours")
    expect(parquet.locator("table.list").first.locator("tbody tr")).to_have_count(1)
    expect(parquet.locator("table.list").first).to_contain_text("0 / 1")
    shot(parquet, "04-parquet-measures")
    parquet.click("text=Stock de téléphones")
    expect(parquet.locator("main")).to_contain_text("RUPTURE DE STOCK")

    # the measure ends: withdrawn at the parquet's request, after the steering committee's opinion
    parquet.goto(f"{console}/parquet/referrals/{urgent}")
    withdrawal = parquet.locator("form.step", has_text="Retrait du dispositif")
    withdrawal.locator('select[name="reason"]').select_option("prosecutor_request")
    withdrawal.locator('input[name="committee_on"]').fill(date.today().isoformat())
    withdrawal.locator('input[name="committee_opinion"][value="favourable"]').check()
    withdrawal.locator('textarea[name="committee_members"]').fill("Parquet fictif\nAssociation fictive\nDDSP fictive")
    withdrawal.locator('input[name="decided_by"]').fill("Parquet fictif de Moulins")
    withdrawal.locator("text=Retirer le dispositif").click()
    expect(parquet.locator(".state")).to_have_text("Dispositif retiré")
    expect(parquet.locator("section", has_text="Mesure")).to_contain_text(
        "Favorable le "
        + date.today().strftime("%d/%m/%Y")
        + " — membres présents : Parquet fictif, Association fictive"
    )
    shot(parquet, "05-parquet-withdrawal")


def test_a_reminder_arrives_on_the_parquet_s_and_the_association_s_screens_and_is_acknowledged_there(
    processes, vhost_uri, browser
):
    """A requisition's report is overdue: the evaluation service's deadline check tells the
    notify service, which makes a reminder for the parquet and one for the association
    (docs/lifecycle.md); each sees it on its home page, with a link to the dossier, and
    acknowledges it there (through the gateway, as itself); it then leaves the screen."""
    processes.env.update({"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.5"})
    processes.start_service("referral")
    processes.start_service("evaluation", {"DEADLINE_CHECK_INTERVAL": "0.5"})
    processes.start_service("notify", {"DEADLINE_CHECK_INTERVAL": "0.5"})
    gateway_port, console_port = free_port(), free_port()
    processes.start_gateway(gateway_port)
    gateway, console = f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{console_port}"
    console_env = {"TGD_GATEWAY_URL": gateway, "TGD_CONSOLE_PORT": str(console_port),
                   "TGD_CONSOLE_DATA_DIR": str(processes.log_dir / "console-data")}  # fmt: skip
    processes.start("console", [str(BIN / "tgd-console")], console_env)
    parquet_token = auth_headers("prosecutor", "tj-moulins")
    wait_until(lambda: httpx.get(f"{gateway}/v1/referrals/{ZERO}", headers=parquet_token).status_code == 404,
               30, "the referral service")  # fmt: skip
    wait_until(lambda: httpx.get(f"{console}/login").status_code == 200, 30, "the console")
    people = OperatorStore.in_dir(processes.log_dir / "gateway-data")
    _, magistrate = people.register_operator("m.exemple", "Magistrate Fictive", Role.PROSECUTOR, ["tj-moulins"])
    _, worker = people.register_operator("a.exemple", "Intervenante Fictive", Role.ASSOCIATION, ["tj-moulins"])

    # a referral, its requisition due yesterday (through the API: the screens are tested above)
    referral_id = send_referral(gateway, "browser-reminder-1", "urgent", "EXEMPLE-RAPPEL")
    opened = f"{gateway}/v1/referrals/{referral_id}/measure"
    wait_until(lambda: httpx.get(opened, headers=parquet_token).status_code == 200, 30, "the measure opened")
    requisition = {
        "requested_by": "Parquet fictif de Moulins",
        "due_on": (date.today() - timedelta(days=1)).isoformat(),
    }
    sent = httpx.post(f"{gateway}/v1/referrals/{referral_id}/requisition", json=requisition,
                      headers={**parquet_token, "Idempotency-Key": "browser-reminder-req"})  # fmt: skip
    assert sent.status_code < 300, sent.text
    reminders = f"{gateway}/v1/reminders?jurisdiction=tj-moulins"

    def pending(token) -> list:
        return [r for r in httpx.get(reminders, headers=token).json()["items"] if r["kind"] == "requisition_overdue"]

    association_token = auth_headers("association", "tj-moulins")
    wait_until(lambda: pending(parquet_token) and pending(association_token), 60, "the overdue requisition's reminders")

    for login, password, home, name in (
        ("m.exemple", magistrate, "/parquet", "parquet"),
        ("a.exemple", worker, "/association", "association"),
    ):
        page = log_in(browser, console, login, password)
        expect(page).to_have_url(f"{console}{home}")
        row = page.locator('#reminder-list tr[data-kind="requisition_overdue"]')
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Réquisition en retard : rapport d'évaluation attendu")
        expect(row.locator("a")).to_have_attribute("href", f"{home}/referrals/{referral_id}")
        shot(page, f"10-{name}-reminder-arrived")
        row.locator("text=Pris en compte").click()
        expect(page.locator(".done")).to_have_text("Rappel pris en compte.")
        expect(page.locator('#reminder-list tr[data-kind="requisition_overdue"]')).to_have_count(0)
        expect(page.locator("#reminder-list")).to_contain_text("Aucun rappel en attente.")
        shot(page, f"11-{name}-reminder-acknowledged")

    # acknowledged at the gateway, by each person (her login as the staff reference)
    for token, login in ((parquet_token, "m.exemple"), (association_token, "a.exemple")):
        everything = httpx.get(reminders + "&pending_only=false", headers=token).json()["items"]
        (done,) = [r for r in everything if r["kind"] == "requisition_overdue"]
        assert (done["acknowledged_by"], done["acknowledged_at"] is not None) == (login, True)
