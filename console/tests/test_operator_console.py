"""The operator console (console/tgd_console/operator) on the real gateway app with the
fake services: login, session cookie, CSRF, refusals, French pages, and the RPC each
action ends in (through the gateway's API, with the operator's own token)."""

from __future__ import annotations

import asyncio
import html
import json
import re
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from tgd_console.app import create_app
from tgd_console.session import COOKIE
from tgd_console.settings import Settings

from gateway.auth.operators import OperatorStore
from gateway.auth.roles import Role
from gateway.main import create_app as create_gateway
from gateway.settings import Settings as GatewaySettings
from tgd_testkit.fake_alerts import fake_alert
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import token_for

ALERT = "0123456789abcdef0123456789abcdef"
SCRIPT = {
    "questions": [
        {"id": "can-talk", "text": "Pouvez-vous parler ? / Can you talk?", "answers": ["yes", "no", "no-answer"]},
        {
            "id": "author-present",
            "text": "L'auteur est-il présent ? / Is the author present?",
            "answers": ["yes", "no"],
        },
    ]
}
HOME = {"street": "1 Rue Fictive", "postcode": "03100", "city": "Montluçon", "insee_code": "03185"}
DOSSIER = {
    "attribution_id": "att-0001",
    "device_id": "dev-0001",
    "jurisdiction": "tj-moulins",
    "beneficiary": {
        "identity": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
        "disability_or_speech_difficulty": True,
        "home": HOME,
        "household": [{"surname": "EXEMPLE", "first_names": ["Enfant"], "relationship": "fils"}],
        "usual_places": [{**HOME, "street": "2 Place Fictive"}],
        "geolocation_consent": True,
    },
    "author": {
        "identity": {"surname": "AUTEUR-FICTIF", "first_names": ["Personne"]},
        "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-01"},
    },
}


def without_none(kwargs: dict) -> dict:
    return {**kwargs, "request": {k: v for k, v in kwargs["request"].items() if v is not None}}


def text(response) -> str:
    return html.unescape(response.text)


def alert_view(alert_id: str, **changes) -> dict:
    return {**fake_alert(alert_id, "tj-moulins"), **changes}


@pytest.fixture
def console(tmp_path):
    """The console on the real gateway app (fake services behind it), an operator account,
    and a logged-in client: (console client, fake services, gateway app)."""
    fake = FakeServices(lambda object_id: "tj-moulins")
    fake.handlers[("alert", "qualification_script")] = lambda: SCRIPT
    fake.handlers[("alert", "list_open_alerts")] = lambda: {
        "items": [
            {"alert_id": ALERT, "state": "raised", "device_id": "dev-0001", "jurisdiction": "tj-moulins",
             "flags": [], "raised_at": "2026-06-01T22:00:00Z", "presses": 2, "acknowledged": False},
        ]
    }  # fmt: skip
    gateway = create_gateway(GatewaySettings(data_dir=tmp_path, rate_per_s=1e6, rate_burst=1_000_000), rpc=fake)
    store = OperatorStore.in_dir(tmp_path)
    _, password = store.register_operator("c.exemple", "Opératrice Fictive")
    _, other = store.register_operator("m.exemple", "Magistrate Fictive", Role.PROSECUTOR, ["tj-moulins"])
    app = create_app(Settings(data_dir=tmp_path / "console"), transport=httpx.ASGITransport(app=gateway))
    with TestClient(app, raise_server_exceptions=False) as client:
        client.passwords = {"c.exemple": password, "m.exemple": other}
        login(client, "c.exemple", password)
        yield client, fake, gateway


def login_csrf(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def login(client: TestClient, user: str, password: str):
    form = {"csrf": login_csrf(client), "login": user, "password": password}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response


def csrf_of(client: TestClient) -> str:
    page = client.get("/regulation", headers={"accept": "text/html"})
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def fresh_client(client: TestClient) -> TestClient:
    return TestClient(client.app, raise_server_exceptions=False)


def test_without_a_session_a_browser_is_sent_to_the_login_and_the_script_gets_401(console):
    client, fake, _ = console
    fresh = fresh_client(client)
    page = fresh.get("/regulation", headers={"accept": "text/html"}, follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login")
    assert fresh.get("/regulation/alerts").status_code == 401
    fake.calls.clear()
    assert fresh.post(f"/regulation/alerts/{ALERT}/take", json={}).status_code == 401
    assert fake.calls == []
    form = fresh.get("/login")
    assert "opératrices et opérateurs de la plateforme" in text(form)
    assert "Mot de passe" in text(form)


def test_the_session_cookie_is_sealed_httponly_and_strict(console):
    client, _, _ = console
    (session,) = [c for c in client.cookies.jar if c.name == COOKIE]
    assert session.has_nonstandard_attr("HttpOnly")
    assert session.get_nonstandard_attr("SameSite") == "Strict"
    assert "eyJ" not in session.value  # the operator's token is sealed, never readable by a script


def test_a_wrong_password_or_a_forged_login_form_is_refused(console):
    client, _, _ = console
    fresh = fresh_client(client)
    wrong = fresh.post("/login", data={"csrf": login_csrf(fresh), "login": "c.exemple", "password": "x"})
    assert wrong.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in text(wrong)
    assert COOKIE not in fresh.cookies
    fresh.cookies.clear()  # no login form cookie: a cross-site post
    forged = fresh.post("/login", data={"csrf": "forged", "login": "c.exemple", "password": "x"})
    assert forged.status_code == 400


def test_the_screen_lists_open_alerts_in_french(console):
    client, _, _ = console
    page = client.get("/regulation", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    for french in ("Alertes en cours", "En attente d'un opérateur", "2 appuis", "Opératrice Fictive", "Raccourcis"):
        assert french in text(page)
    assert "script-src 'self'" in page.headers["content-security-policy"]
    fragment = client.get("/regulation/alerts")
    assert f'data-alert-id="{ALERT}"' in fragment.text


def test_the_dossier_shows_the_beneficiary_the_author_the_order_and_the_script(console):
    client, fake, app = console
    fake.handlers[("alert", "get_alert")] = lambda alert_id: alert_view(
        alert_id,
        state="raised",
        dossier=DOSSIER,
        positions=[{"lat": 46.34, "lon": 2.6, "accuracy_m": 18.5, "fixed_at": "2026-06-01T21:59:58Z"}],
        automatic=True,
        journal=[{"at": "2026-06-01T22:01:00Z", "actor": "system", "kind": "failsafe", "detail": "no operator"}],
    )
    page = client.get(f"/regulation/alerts/{ALERT}")
    assert page.status_code == 200
    for french in (
        "Bénéficiaire", "EXEMPLE", "Handicap ou difficulté d'expression", "Auteur", "AUTEUR-FICTIF",
        "Interdiction de contact : Ordonnance de protection", "Foyer", "fils", "Lieux habituels", "2 Place Fictive",
        "précision ± 18 m", "Pouvez-vous parler ?", "Pas de réponse", "Prendre en charge",
        "Danger : alerter les forces", "SÉCURITÉ", "Sécurité : envoi automatique",
    ):  # fmt: skip
        assert french in text(page), french
    assert "Can you talk" not in page.text
    # the read went through the API: audited under the operator's own login
    audit = [json.loads(line) for line in (app.state.audit.path).read_text().splitlines()]
    assert any(e["client_id"] == "c.exemple" and e["action"] == "GET /v1/alerts/{alert_id}" for e in audit)


def test_acknowledgements_and_escalation_are_shown(console):
    client, fake, _ = console
    delivery = {
        "dispatch_id": "d-1", "recipient": {"audience": "police", "territory": "03", "unit": "csp-montlucon"},
        "kind": "dispatch", "attempts": 1, "first_sent_at": "2026-06-01T22:02:00Z",
        "last_sent_at": "2026-06-01T22:02:00Z", "acknowledged_at": "2026-06-01T22:02:05Z",
    }  # fmt: skip
    escalation = {**delivery, "dispatch_id": "d-2", "kind": "escalation", "attempts": 3, "acknowledged_at": None}
    escalation["recipient"] = {"audience": "command", "territory": "03", "unit": "any"}
    fake.handlers[("alert", "get_alert")] = lambda alert_id: alert_view(alert_id, deliveries=[delivery, escalation])
    live = client.get(f"/regulation/alerts/{ALERT}/live")
    assert live.status_code == 200
    assert "Police 03 / csp-montlucon" in text(live)
    assert "Reçu à" in text(live)
    assert "Commandement 03 / any" in text(live)
    assert "En attente depuis" in text(live)
    assert "ESCALADE" in text(live)
    assert "2 relance(s)" in text(live)


def test_each_escalation_step_shows_the_centre_and_the_instruction_to_telephone_it(console):
    client, fake, _ = console
    sent = {"kind": "dispatch", "first_sent_at": "2026-06-01T22:02:00Z", "last_sent_at": "2026-06-01T22:03:00Z"}
    centre = {
        **sent, "dispatch_id": "d-1", "step": "centre", "attempts": 2, "acknowledged_at": None,
        "recipient": {"audience": "command", "territory": "03", "unit": "cic-03"},
        "name": "CIC fictif de l'Allier", "phone": "01 99 00 03 17",
    }  # fmt: skip
    home = {
        **sent, "dispatch_id": "d-2", "step": "competent", "attempts": 2, "acknowledged_at": None,
        "recipient": {"audience": "police", "territory": "03", "unit": "csp-montlucon"},
    }  # fmt: skip
    backup = {
        **centre, "dispatch_id": "d-3", "step": "backup", "kind": "escalation", "attempts": 1,
        "recipient": {"audience": "command", "territory": "03", "unit": "cic-63"},
        "name": "CIC fictif du Puy-de-Dôme (secours)", "phone": "01 99 00 63 17",
    }  # fmt: skip
    located = {"basis": "home", "position_status": "no_consent", "department": "03", "zone": "police"}
    fake.handlers[("alert", "get_alert")] = lambda alert_id: alert_view(
        alert_id, deliveries=[centre, home, backup], located=located, position_status="no_consent", positions=[]
    )
    live = text(client.get(f"/regulation/alerts/{ALERT}/live"))
    assert "Centre opérationnel (CIC / CORG)" in live
    assert "Centre de secours" in live
    assert "TÉLÉPHONER MAINTENANT au CIC fictif de l'Allier — 01 99 00 03 17" in live
    assert "TÉLÉPHONER MAINTENANT au CIC fictif du Puy-de-Dôme (secours) — 01 99 00 63 17" in live
    assert live.count("TÉLÉPHONER") == 2  # her home's unit is informed for follow-up, not relied on
    assert "Acheminée selon son domicile : département 03, zone police" in live
    assert "Pas de consentement à la géolocalisation" in live
    centre["acknowledged_at"] = "2026-06-01T22:03:30Z"
    assert text(client.get(f"/regulation/alerts/{ALERT}/live")).count("TÉLÉPHONER") == 1


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(console):
    client, fake, _ = console
    fake.calls.clear()
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        response = client.post(f"/regulation/alerts/{ALERT}/take", json={}, headers=headers)
        assert response.status_code == 400
        assert "Formulaire expiré" in text(response)
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 400
    assert fake.calls == []
    assert client.get("/regulation/alerts").status_code == 200  # still signed in


@pytest.mark.parametrize(
    ("action", "body", "method", "sent"),
    [
        ("take", {}, "take_alert", {"request": {"operator": "c.exemple"}}),
        ("answers", {"question_id": "can-talk", "answer": "no", "note": " Propos fictifs. "}, "answer_question",
         {"request": {"operator": "c.exemple", "question_id": "can-talk", "answer": "no", "note": "Propos fictifs."}}),
        ("dispatch", {}, "qualify_alert", {"request": {"operator": "c.exemple", "outcome": "danger"}}),
        ("redirect", {"note": "Calme"}, "qualify_alert",
         {"request": {"operator": "c.exemple", "outcome": "no_danger", "note": "Calme"}}),
        ("close", {}, "close_alert", {"request": {"operator": "c.exemple"}}),
        ("qualification", {"outcome": "test_call"}, "qualify_alert",
         {"request": {"operator": "c.exemple", "outcome": "test_call"}}),
        ("qualification", {"outcome": "accidental", "note": "Dans le sac"}, "qualify_alert",
         {"request": {"operator": "c.exemple", "outcome": "accidental", "note": "Dans le sac"}}),
    ],
)  # fmt: skip
def test_each_action_calls_the_alert_service_as_the_operator(console, action, body, method, sent):
    client, fake, _ = console
    csrf = csrf_of(client)
    fake.calls.clear()
    response = client.post(f"/regulation/alerts/{ALERT}/{action}", json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200, response.text
    changes = [(s, m, without_none(kw)) for s, m, kw in fake.calls if m not in ("get_alert", "qualification_script")]
    assert changes == [("alert", method, {"alert_id": ALERT, **sent})]
    assert f'data-alert-id="{ALERT}"' in response.text  # the dossier, re-rendered


def test_a_refused_action_is_explained_in_french(console):
    client, fake, _ = console
    from tgd_contracts.errors import ErrorCode, TgdError

    def conflict(alert_id, request):
        raise TgdError(code=ErrorCode.ALERT_STATE_CONFLICT)

    fake.handlers[("alert", "take_alert")] = conflict
    response = client.post(f"/regulation/alerts/{ALERT}/take", json={}, headers={"X-CSRF-Token": csrf_of(client)})
    assert "Action impossible dans l'état actuel de l'alerte" in text(response)


def test_other_people_and_api_tokens_are_refused(console):
    client, fake, _ = console
    magistrate = fresh_client(client)
    login(magistrate, "m.exemple", client.passwords["m.exemple"])
    fake.calls.clear()
    assert magistrate.get("/regulation", headers={"accept": "text/html"}).status_code == 403
    assert magistrate.get(f"/regulation/alerts/{ALERT}").status_code == 403
    assert [m for _, m, _ in fake.calls if "alert" in m] == []
    # an API token is not a session, even in the cookie; nor is a bearer header read
    forged = fresh_client(client)
    forged.cookies.set(COOKIE, token_for("teleassistance", "*"))
    assert forged.get("/regulation/alerts").status_code == 401
    bearer = {"authorization": "Bearer " + token_for("teleassistance", "*")}
    assert fresh_client(client).get("/regulation/alerts", headers=bearer).status_code == 401


def test_a_disabled_operator_is_out_at_once(console):
    client, _, gateway = console
    assert client.get("/regulation/alerts").status_code == 200
    OperatorStore.in_dir(gateway.state.operators.path.parent).set_disabled("c.exemple", True)
    assert client.get("/regulation/alerts").status_code == 401  # the gateway refuses her token
    page = client.get("/regulation", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.headers["location"] == "/login"


def test_an_idle_session_is_over(console):
    client, _, _ = console
    sealer = client.app.state.sealer
    value = client.cookies.get(COOKIE)
    person = sealer.open(value)
    old = sealer.fernet.encrypt_at_time(sealer.seal(person).encode(), int(time.time()) - sealer.idle_s - 60)
    stale = fresh_client(client)
    stale.cookies.set(COOKIE, old.decode())
    assert stale.get("/regulation/alerts").status_code == 401


def test_logout_ends_the_session_here_and_at_the_gateway(console):
    client, _, gateway = console
    value = client.cookies.get(COOKIE)
    person = client.app.state.sealer.open(value)
    response = client.post("/logout", data={"csrf": csrf_of(client)}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert client.get("/regulation/alerts").status_code == 401
    # a copy of the cookie taken before the logout is worth nothing (server-side session)
    copy = fresh_client(client)
    copy.cookies.set(COOKIE, value)
    assert copy.get("/regulation/alerts").status_code == 401
    # and the refresh token is revoked at the gateway
    with TestClient(gateway) as api:
        again = api.post("/v1/oauth/token", data={"grant_type": "refresh_token", "refresh_token": person.refresh_token})
    assert again.status_code == 401


def test_the_script_and_style_are_served_and_nothing_else(console):
    client, _, _ = console
    fresh = fresh_client(client)
    assert fresh.get("/regulation/static/console.js").headers["content-type"].startswith("text/javascript")
    assert fresh.get("/regulation/static/console.css").status_code == 200
    assert fresh.get("/regulation/static/operators.json").status_code == 404


def test_an_open_console_renews_its_session_keeping_its_csrf_secret(console):
    client, _, _ = console
    before = client.app.state.sealer.open(client.cookies.get(COOKIE))
    response = client.get("/regulation/alerts")
    assert response.status_code == 200
    set_cookie = response.headers["set-cookie"]
    assert "HttpOnly" in set_cookie
    assert "SameSite=Strict" in set_cookie
    after = client.app.state.sealer.open(set_cookie.split(";")[0].split("=", 1)[1])
    assert (after.csrf, after.sid, after.auth_time) == (before.csrf, before.sid, before.auth_time)


def test_an_unavailable_alert_service_is_said_on_the_screen(console):
    client, fake, _ = console
    from tgd_contracts.errors import ErrorCode, TgdError

    def unavailable():
        raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE)

    fake.handlers[("alert", "list_open_alerts")] = unavailable
    fragment = client.get("/regulation/alerts")
    assert fragment.status_code == 503
    assert "Service d'alerte indisponible" in text(fragment)
    page = client.get("/regulation", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "procédure de secours" in text(page)


def test_the_history_names_a_question_by_its_french_text_in_the_dossier_and_live(console):
    client, fake, _ = console
    journal = [{"at": "2026-06-01T22:01:00Z", "actor": "c.exemple", "kind": "answer", "detail": "author-present=yes"}]
    fake.handlers[("alert", "get_alert")] = lambda alert_id: alert_view(alert_id, state="taken", journal=journal)
    for path in (f"/regulation/alerts/{ALERT}", f"/regulation/alerts/{ALERT}/live"):
        page = client.get(path)
        assert page.status_code == 200
        assert "Réponse (c.exemple) : L'auteur est-il présent ? : Oui" in text(page), path
        assert "author-present : Oui" not in text(page)
    # the script is asked once a minute at most, not at every poll of the live part
    fake.calls.clear()
    client.get(f"/regulation/alerts/{ALERT}/live")
    assert [m for _, m, _ in fake.calls] == ["get_alert"]


def test_without_the_script_the_live_history_still_shows_with_the_question_ids(console):
    client, fake, _app = console

    def down():
        from tgd_contracts.errors import ErrorCode, TgdError

        raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE)

    fake.handlers[("alert", "qualification_script")] = down
    journal = [{"at": "2026-06-01T22:01:00Z", "actor": "c.exemple", "kind": "answer", "detail": "can-talk=no"}]
    fake.handlers[("alert", "get_alert")] = lambda alert_id: alert_view(alert_id, state="taken", journal=journal)
    live = client.get(f"/regulation/alerts/{ALERT}/live")
    assert live.status_code == 200
    assert "can-talk : Non" in text(live)


def test_the_console_offers_test_call_and_accidental_press_and_refuses_other_outcomes_there(console):
    client, fake, _ = console
    fake.handlers[("alert", "get_alert")] = lambda alert_id: alert_view(alert_id, state="raised", deliveries=[])
    page = client.get(f"/regulation/alerts/{ALERT}")
    assert 'data-outcome="test_call"' in page.text
    assert 'data-outcome="accidental"' in page.text
    fake.calls.clear()
    csrf = {"X-CSRF-Token": csrf_of(client)}
    for body in ({"outcome": "danger"}, {"outcome": "no_danger"}, {}):
        response = client.post(f"/regulation/alerts/{ALERT}/qualification", json=body, headers=csrf)
        assert response.status_code == 422
    assert [m for _, m, _ in fake.calls if m == "qualify_alert"] == []


def test_each_action_is_in_the_access_log_with_the_alert_and_its_jurisdiction_under_the_login(console):
    client, _, app = console
    client.post(f"/regulation/alerts/{ALERT}/take", json={}, headers={"X-CSRF-Token": csrf_of(client)})
    entries, _ = app.state.audit.query(None, object_id=ALERT)
    take = next(e for e in entries if e["action"] == "POST /v1/alerts/{alert_id}/take")
    assert (take["client_id"], take["jurisdiction"], take["status"]) == ("c.exemple", "tj-moulins", 200)


def test_a_reopened_incident_is_marked_in_the_list_and_the_dossier(console):
    client, fake, _ = console
    line = {"alert_id": ALERT, "state": "raised", "device_id": "dev-0001", "jurisdiction": "tj-moulins", "flags": [],
            "raised_at": "2026-06-01T22:00:00Z", "presses": 2, "acknowledged": False, "reopened": True}  # fmt: skip
    fake.handlers[("alert", "list_open_alerts")] = lambda: {"items": [line]}
    assert "Rouverte : nouvel appui" in text(client.get("/regulation/alerts"))
    reopened = alert_view(ALERT, state="raised", deliveries=[], reopened_at="2026-06-01T22:03:00Z")
    fake.handlers[("alert", "get_alert")] = lambda alert_id: reopened
    assert "ROUVERTE : nouvel appui" in text(client.get(f"/regulation/alerts/{ALERT}"))


def test_the_platform_s_reminders_are_shown_and_acknowledged_on_its_screen(console):
    client, fake, _ = console
    screen = client.get("/regulation", headers={"accept": "text/html"})
    assert '<div id="reminders"' in screen.text  # filled by the script, after the alerts
    page = client.get("/regulation/reminders")
    assert "Rappels de la plateforme" in text(page)
    assert "Rupture de stock" in text(page)
    ids = re.findall(r'data-reminder="([0-9a-f]{32})"', page.text)
    assert ids
    fake.calls.clear()
    fake.reminder_audience = "teleassistance"  # the fake's reminder, as the platform's
    done = client.post(
        f"/reminders/{ids[0]}/acknowledgement", data={"csrf": csrf_of(client), "back": "/regulation"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/regulation?fait=rappel"
    sent = [kw for _, m, kw in fake.calls if m == "acknowledge_reminder"]
    assert sent[0]["acknowledgement"]["acknowledged_by"] == "c.exemple"


def test_a_slow_reminder_service_never_holds_the_operator_s_screen(console, monkeypatch):
    client, fake, _ = console
    from tgd_console import reminders

    monkeypatch.setattr(reminders, "WAIT_S", 0.2)

    async def slow(jurisdiction, pending_only=True, unit=None):
        await asyncio.sleep(1.0)  # a slow service: the gateway awaits its answer
        return {"jurisdiction": jurisdiction, "items": []}

    fake.handlers[("notify", "list_reminders")] = slow
    page = client.get("/regulation/reminders")
    assert page.status_code == 200
    assert "Rappels indisponibles pour l'instant" in text(page)  # said, not waited for
    assert "Service d'alerte" not in text(page)  # never mistaken for the alerts' service
