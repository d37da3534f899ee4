"""The console's pages and forms: login with the person's own token, French pages, CSRF,
escaping, roles, and what reaches the services."""

from __future__ import annotations

import logging
import re

from .conftest import csrf_of, log_in

REFERRAL = "0" * 32


def test_the_login_gives_a_sealed_strict_cookie_and_lands_on_the_role_s_screen(world):
    client, _, people = world
    response = log_in(client, people, "m.exemple")
    assert response.status_code == 303
    assert response.headers["location"] == "/parquet"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "eyJ" not in cookie  # the token is sealed, not readable from the cookie


def test_a_wrong_password_is_refused_in_french(world):
    client, _, people = world
    people.passwords["m.exemple"] = "wrong"
    response = log_in(client, people, "m.exemple")
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.text


def test_the_login_form_needs_its_csrf_secret(world):
    client, services, _ = world
    response = client.post("/login", data={"csrf": "forged", "login": "m.exemple", "password": "x"})
    assert response.status_code == 400
    assert "Formulaire expiré" in response.text
    assert "tgd_people=" not in response.headers.get("set-cookie", "")
    assert services.calls == []


def test_without_a_session_every_screen_goes_to_the_login(world):
    client, services, _ = world
    for path in ("/parquet", "/parquet/measures", "/association", f"/parquet/referrals/{REFERRAL}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login"
    assert services.calls == []


def test_the_parquet_inbox_is_in_french_with_urgent_ones_on_top(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    page = client.get("/parquet")
    assert page.status_code == 200
    assert "Signalements reçus" in page.text
    assert "Urgent" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    on_call = client.get("/parquet?permanence=1")
    assert "Permanence du parquet" in on_call.text
    assert ("referral", "list_referrals") in [(s, m) for s, m, _ in services.calls]


def test_the_dossier_shows_the_measure_and_escapes_what_it_shows(world):
    client, services, people = world
    services.handlers[("referral", "get_referral")] = lambda referral_id: {
        **services.get_referral(referral_id),
        "facts": "<script>alert(1)</script>",
    }
    log_in(client, people, "m.exemple")
    page = client.get(f"/parquet/referrals/{REFERRAL}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "Mesure en cours" in page.text
    assert "Retrait du dispositif" in page.text
    assert "Avis du comité de pilotage" in page.text


def test_a_form_without_the_csrf_secret_changes_nothing(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    before = len(services.calls)
    response = client.post(f"/parquet/referrals/{REFERRAL}/requisition", data={"requested_by": "Parquet fictif"})
    assert response.status_code == 400
    assert "Formulaire expiré" in response.text
    assert services.calls[before:] == []


def test_the_requisition_reaches_the_evaluation_service_with_its_due_date(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    csrf = csrf_of(client.get(f"/parquet/referrals/{REFERRAL}").text)
    form = {"csrf": csrf, "requested_by": "Parquet fictif", "due_on": "2026-02-01"}
    response = client.post(f"/parquet/referrals/{REFERRAL}/requisition", data=form, follow_redirects=False)
    assert response.status_code == 303
    sent = [kw for s, m, kw in services.calls if m == "request_evaluation"]
    requisition = {"requested_by": "Parquet fictif", "due_on": "2026-02-01", "association": None}
    assert sent == [{"referral_id": REFERRAL, "requisition": requisition}]


def test_the_withdrawal_sends_the_committee_opinion_and_members(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    csrf = csrf_of(client.get(f"/parquet/referrals/{REFERRAL}").text)
    form = {
        "csrf": csrf,
        "attribution_id": "a" * 32,
        "reason": "prosecutor_request",
        "committee_on": "2026-03-10",
        "committee_opinion": "favourable",
        "committee_members": "Parquet fictif\nAssociation fictive\n",
        "decided_by": "Parquet fictif",
    }
    client.post(f"/parquet/referrals/{REFERRAL}/withdrawal", data=form, follow_redirects=False)
    (sent,) = [kw["withdrawal"] for s, m, kw in services.calls if m == "withdraw"]
    assert sent["steering_committee_opinion"] == "favourable"
    assert sent["steering_committee_members"] == ["Parquet fictif", "Association fictive"]


def test_a_refusal_of_the_api_is_shown_in_french(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    csrf = csrf_of(client.get(f"/parquet/referrals/{REFERRAL}").text)
    response = client.post(f"/parquet/referrals/{REFERRAL}/requisition", data={"csrf": csrf, "requested_by": ""})
    assert response.status_code in (400, 422)
    assert "Formulaire incomplet ou invalide" in response.text
    assert "request_evaluation" not in [m for _, m, _ in services.calls]


def test_another_partner_s_screen_is_refused(world):
    client, _, people = world
    log_in(client, people, "a.exemple")
    response = client.get("/parquet/measures")
    assert response.status_code == 403
    assert "Action non autorisée" in response.text
    assert client.get("/association").status_code == 200


def test_an_operator_lands_on_the_operator_console_and_not_on_the_partners_screens(world):
    client, _, people = world
    response = log_in(client, people, "c.exemple")
    assert (response.status_code, response.headers["location"]) == (303, "/regulation")
    assert client.get("/", follow_redirects=False).headers["location"] == "/regulation"
    assert client.get("/parquet").status_code == 403
    assert client.get("/association").status_code == 403


def test_the_association_sees_the_grid_items_in_its_report_form(world):
    client, services, people = world
    services.handlers[("evaluation", "list_instruments")] = lambda: {
        "instruments": [
            {
                "instrument_id": "dash-like",
                "instrument_version": "1",
                "title": "Grille fictive",
                "high_from": 14,
                "medium_from": 10,
                "items": [
                    {"item_id": f"q{n:02d}", "weight": 1, "label": f"Question fictive {n}"} for n in range(1, 28)
                ],
            }
        ]
    }
    log_in(client, people, "a.exemple")
    page = client.get(f"/association/referrals/{REFERRAL}")  # the fake measure is active: a re-evaluation
    assert "Réévaluation avant renouvellement" in page.text
    assert page.text.count('name="item-q') == 27 * 3
    assert "Question fictive 27" in page.text


def test_nothing_personal_is_logged(world, caplog):
    client, _, people = world
    with caplog.at_level(logging.DEBUG):
        log_in(client, people, "m.exemple")
        client.get(f"/parquet/referrals/{REFERRAL}")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "EXEMPLE" not in logged
    assert "m.exemple" not in logged
    assert people.passwords["m.exemple"] not in logged


def test_the_association_records_a_follow_up_contact(world):
    client, services, people = world
    log_in(client, people, "a.exemple")
    page = client.get(f"/association/referrals/{REFERRAL}")
    assert "Suivi de la bénéficiaire par l'association" in page.text
    form = {"csrf": csrf_of(page.text), "on": "2026-01-05", "nature": "home_visit", "by": "Intervenante fictive"}
    response = client.post(f"/association/referrals/{REFERRAL}/contacts", data=form, follow_redirects=False)
    assert response.status_code == 303
    (sent,) = [kw for _, m, kw in services.calls if m == "record_contact"]
    assert sent["contact"] == {"on": "2026-01-05", "nature": "home_visit", "by": "Intervenante fictive", "notes": None}
    assert len(sent["contact_id"]) >= 8


def test_a_contact_without_its_date_is_refused_in_french(world):
    client, services, people = world
    log_in(client, people, "a.exemple")
    csrf = csrf_of(client.get(f"/association/referrals/{REFERRAL}").text)
    form = {"csrf": csrf, "on": "", "nature": "home_visit", "by": "Intervenante fictive"}
    response = client.post(f"/association/referrals/{REFERRAL}/contacts", data=form)
    assert response.status_code in (400, 422)
    assert "Formulaire incomplet ou invalide" in response.text
    assert "record_contact" not in [m for _, m, _ in services.calls]


def test_the_parquet_s_lists_are_in_french(world):
    client, services, people = world
    services.handlers[("alert", "alerts_of_jurisdiction")] = lambda jurisdiction, days=90: {
        "jurisdiction": jurisdiction,
        "items": [
            {
                "alert_id": "c" * 32,
                "state": "closed",
                "raised_at": "2026-03-01T21:00:00Z",
                "presses": 2,
                "outcome": "danger",
                "automatic": False,
                "result": "author_arrested",
                "closed_at": "2026-03-01T22:00:00Z",
            }
        ],
    }
    log_in(client, people, "m.exemple")
    measures = client.get("/parquet/measures")
    assert "Mesures en cours" in measures.text
    assert "0 / 2" in measures.text  # renewals / cap of the fake measure
    stock = client.get("/parquet/stock")
    assert "Stock de téléphones du ressort" in stock.text
    assert "En stock" in stock.text
    alerts = client.get("/parquet/alerts")
    assert "Danger : forces alertées" in alerts.text
    assert "01/03/2026 22:00" in alerts.text  # raised at 21:00 UTC, shown in Paris time


def test_the_association_s_home_lists_what_it_has_to_do(world):
    client, _, people = world
    log_in(client, people, "a.exemple")
    home = client.get("/association")
    for french in ("Réquisitions à traiter", "Appels test à échéance ou en retard", "Bénéficiaires à appeler",
                   "Mesures arrivant à échéance", "Signalements reçus"):  # fmt: skip
        assert french in home.text


def test_the_association_s_home_reads_the_court_at_once_not_one_call_per_measure(world):
    client, services, people = world
    log_in(client, people, "a.exemple")
    services.calls.clear()
    assert client.get("/association").status_code == 200
    methods = [m for _, m, _ in services.calls]
    assert methods.count("list_assignments") == 1
    assert methods.count("follow_ups") == 1
    assert "get_assignment" not in methods
    assert "follow_up" not in methods


def test_repeated_wrong_passwords_lock_the_login_in_french(world):
    client, _, people = world
    good = people.passwords["m.exemple"]
    people.passwords["m.exemple"] = "wrong"
    for _ in range(5):
        assert log_in(client, people, "m.exemple").status_code == 401
    people.passwords["m.exemple"] = good
    locked = log_in(client, people, "m.exemple")
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.text


def test_logout_revokes_the_session_at_the_gateway(world):
    client, _, people = world
    log_in(client, people, "m.exemple")
    sealer = client.app.state.sealer
    person = sealer.open(client.cookies["tgd_people"])
    csrf = csrf_of(client.get("/parquet").text)
    response = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    from fastapi.testclient import TestClient

    renewal = TestClient(people.gateway).post(
        "/v1/oauth/token", data={"grant_type": "refresh_token", "refresh_token": person.refresh_token}
    )
    assert renewal.status_code == 401


REMINDER = "0" * 31 + "1"


def test_the_parquet_sees_its_reminders_and_acknowledges_one_as_itself(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    page = client.get("/parquet")
    assert "Rappels à prendre en compte" in page.text
    assert "Rupture de stock" in page.text
    assert "Rappels de la plateforme" not in page.text
    rows = re.findall(r'data-reminder="([0-9a-f]{32})"', page.text)
    assert rows  # only the parquet's: the gateway's view filters the others out
    services.calls.clear()
    done = client.post(
        f"/reminders/{rows[0]}/acknowledgement",
        data={"csrf": csrf_of(page.text), "back": "/parquet?j=tj-moulins"},
        follow_redirects=False,
    )
    assert (done.status_code, done.headers["location"]) == (303, "/parquet?j=tj-moulins&fait=rappel")
    sent = [kw for s, m, kw in services.calls if m == "acknowledge_reminder"]
    assert sent
    assert sent[0]["acknowledgement"]["acknowledged_by"] == "m.exemple"
    assert "Rappel pris en compte." in client.get(done.headers["location"]).text


def test_a_reminder_is_acknowledged_only_with_the_csrf_secret_and_back_only_to_own_screens(world):
    client, services, people = world
    log_in(client, people, "a.exemple")
    page = client.get("/association")
    assert "Rappels à prendre en compte" in page.text
    services.calls.clear()
    refused = client.post(f"/reminders/{REMINDER}/acknowledgement", data={"csrf": "forged"})
    assert refused.status_code == 400
    assert [m for _, m, _ in services.calls if m == "acknowledge_reminder"] == []
    services.reminder_audience = "association"  # the fake's reminder, as the association's
    away = client.post(
        f"/reminders/{REMINDER}/acknowledgement",
        data={"csrf": csrf_of(page.text), "back": "https://elsewhere.example/association"},
        follow_redirects=False,
    )
    assert away.headers["location"] == "/association?fait=rappel"


def test_an_unknown_reminder_is_said_in_french(world):
    client, _, people = world
    log_in(client, people, "m.exemple")
    page = client.get("/parquet")
    missing = client.post("/reminders/" + "f" * 32 + "/acknowledgement", data={"csrf": csrf_of(page.text)})
    assert missing.status_code == 404
    assert "Rappel introuvable" in missing.text


def test_the_login_form_is_throttled_per_browser_address(world):
    client, _, people = world
    client.app.state.login_throttle.per_pair = 2
    right = people.passwords["m.exemple"]
    people.passwords["m.exemple"] = "wrong"
    assert log_in(client, people, "m.exemple").status_code == 401
    assert log_in(client, people, "m.exemple").status_code == 401
    people.passwords["m.exemple"] = right
    locked = log_in(client, people, "m.exemple")  # even the right password, while locked
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Trop de tentatives de connexion" in locked.text
