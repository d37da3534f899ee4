"""The observatory's statistics in the operator console (tgd_console/operator/stats.py), on
the real gateway app with the fake services: the page, the SVG plots and the CSV relayed
from /v1/observatory, who may see them, and that a small count is never shown."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient
from tgd_console.operator import stats

from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_testkit import fake_statistics
from tgd_testkit.tokens import auth_headers

from .test_operator_console import console as operator_console  # noqa: F401  (the fixture)
from .test_operator_console import fresh_client, login, text

PERIOD = {"jurisdiction": "tj-moulins", "from": "2026-01-01", "to": "2026-06-30"}
QUERY = "jurisdiction=tj-moulins&from=2026-01-01&to=2026-06-30"
HTML = {"accept": "text/html"}
PLOTS = ("activity", "withdrawals", "alerts", "delays")


@pytest.fixture
def console(operator_console):  # noqa: F811
    client, fake, gateway = operator_console
    client.gateway_app = gateway
    fake.calls.clear()
    return client, fake


def figure(page_text: str, key: str) -> str:
    """The cells of a figure's row (``data-figure`` key) as text."""
    row = re.search(rf'<tr data-figure="{re.escape(key)}">(.*?)</tr>', page_text, re.S)
    assert row, key
    return html.unescape(re.sub(r"<[^>]+>", "|", row.group(1)))


def test_without_a_session_the_page_sends_to_the_login_and_the_plots_and_csv_answer_401(console):
    client, fake = console
    fresh = fresh_client(client)
    page = fresh.get("/regulation/stats", params=PERIOD, headers=HTML, follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login")
    for path in ("/regulation/stats/plots/activity.svg", "/regulation/stats.csv"):
        assert fresh.get(path, params=PERIOD).status_code == 401
    assert fake.calls == []


def test_the_page_is_french_with_the_jurisdictions_the_period_the_four_plots_and_the_csv_link(console):
    client, fake = console
    page = client.get("/regulation/stats", params=PERIOD, headers=HTML)
    assert page.status_code == 200
    body = text(page)
    for french in ("Statistiques de l'observatoire", "Juridiction", "Du", "Au (inclus)", "Afficher",
                   "Télécharger les chiffres (CSV)", "Chiffres principaux", "Délais des alertes"):  # fmt: skip
        assert french in body
    assert '<html lang="fr">' in page.text
    for jurisdiction in JURISDICTIONS.values():
        assert f'<option value="{jurisdiction.code}"' in page.text
        assert jurisdiction.name in body
    assert '<option value="tj-moulins" selected>' in page.text
    assert 'value="2026-01-01"' in page.text
    assert 'value="2026-06-30"' in page.text
    for name in PLOTS:
        assert f'src="/regulation/stats/plots/{name}.svg?{QUERY}"' in body
    assert re.search(r'<img [^>]*alt="[^"]+"', page.text)  # every plot has a text alternative
    assert f'href="/regulation/stats.csv?{QUERY}"' in body
    assert "img-src 'self'" in page.headers["content-security-policy"]
    # the page read the figures through the API: one statistics call per service, with the period
    assert sorted(m for _, m, _ in fake.calls) == ["statistics"] * 4
    assert {kw["query"]["starts_on"] for _, _, kw in fake.calls} == {"2026-01-01"}


def test_the_console_header_links_to_the_statistics_with_an_access_key(console):
    client, _ = console
    screen = client.get("/regulation", headers=HTML)
    assert re.search(r'<a href="/regulation/stats" accesskey="s"[^>]*>Statistiques</a>', screen.text)
    page = client.get("/regulation/stats", headers=HTML)
    assert re.search(r'<a href="/regulation/stats" accesskey="s" aria-current="page">', page.text)
    assert re.search(r'<a href="/regulation" accesskey="a"[^>]*>Alertes</a>', page.text)


def test_the_default_period_is_this_year_and_the_default_jurisdiction_the_first(console):
    client, fake = console
    page = client.get("/regulation/stats", headers=HTML)
    assert page.status_code == 200
    query = fake.calls[0][2]["query"]
    assert query["jurisdiction"] == next(iter(JURISDICTIONS))
    assert query["starts_on"].endswith("-01-01")
    assert f'value="{query["ends_on"]}"' in page.text


def test_the_plots_are_svg_relayed_from_the_api_without_csrf(console):
    client, fake = console
    for name in PLOTS:
        fake.calls.clear()
        response = client.get(f"/regulation/stats/plots/{name}.svg", params=PERIOD)  # no X-CSRF-Token: a GET
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.content.lstrip().startswith(b"<?xml")
        assert b"<svg" in response.content
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert {kw["query"]["jurisdiction"] for _, _, kw in fake.calls} == {"tj-moulins"}
    observatory = auth_headers("observatory", "*")
    api = TestClient(client.gateway_app)
    french = api.get("/v1/observatory/plots/alerts.svg", params={**PERIOD, "lang": "fr"}, headers=observatory)
    english = api.get("/v1/observatory/plots/alerts.svg", params=PERIOD, headers=observatory)
    relayed = client.get("/regulation/stats/plots/alerts.svg", params=PERIOD).content
    assert relayed == french.content  # the console asks for the French texts
    assert relayed != english.content


def test_the_csv_is_relayed_with_its_file_name(console):
    client, _ = console
    response = client.get("/regulation/stats.csv", params=PERIOD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="tgd-tj-moulins-2026-01-01-2026-06-30.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["jurisdiction"] for r in rows} == {"tj-moulins"}


def test_an_unknown_plot_or_a_bad_period_is_refused_with_the_apis_error(console):
    client, _ = console
    assert client.get("/regulation/stats/plots/secrets.svg", params=PERIOD).status_code == 422
    assert client.get("/regulation/stats/plots/activity.png", params=PERIOD).status_code == 404
    backwards = {**PERIOD, "from": "2026-07-01"}
    for path in ("/regulation/stats/plots/activity.svg", "/regulation/stats.csv"):
        response = client.get(path, params=backwards)
        assert response.status_code == 422
        assert response.json()["error"] == "invalid_request"
    page = client.get("/regulation/stats", params=backwards, headers=HTML)
    assert page.status_code == 422
    assert "Période invalide" in text(page)
    assert "<img" not in page.text


def test_an_unknown_jurisdiction_or_a_malformed_day_is_said_in_french_and_nothing_is_asked(console):
    client, fake = console
    fake.calls.clear()
    unknown = client.get("/regulation/stats", params={**PERIOD, "jurisdiction": "tj-atlantis"}, headers=HTML)
    assert unknown.status_code == 400
    assert "Juridiction inconnue." in text(unknown)
    malformed = client.get("/regulation/stats", params={**PERIOD, "to": "30/06/2026"}, headers=HTML)
    assert malformed.status_code == 400
    assert "Date invalide." in text(malformed)
    assert fake.calls == []


def test_a_service_down_is_said_on_the_page(console):
    client, fake = console

    def down(query):
        from tgd_contracts.errors import ErrorCode, TgdError

        raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE)

    fake.handlers[("device", "statistics")] = down
    page = client.get("/regulation/stats", params=PERIOD, headers=HTML)
    assert page.status_code == 503
    assert "statistiques indisponibles" in text(page)
    assert "<img" not in page.text


def test_small_counts_are_shown_as_under_five_never_as_their_value(console, monkeypatch):
    client, _ = console
    history = {**fake_statistics.HISTORY, "natures": {"danger": 3, "test_call": 0, "accidental": 0}}
    monkeypatch.setattr(fake_statistics, "HISTORY", history)
    page = client.get("/regulation/stats", params=PERIOD, headers=HTML).text
    assert figure(page, "alerts.alerts") == "|Alertes||< 5|"  # 3 alerts: suppressed at the source
    assert figure(page, "referrals.urgent") == "|dont urgents||< 5|"  # 8 urgent of 12: 4 others give it away
    assert figure(page, "referrals.referrals") == "|Signalements reçus||12|"
    delays = figure(page, "alerts.dispatched_to_acknowledged")  # 3 samples: no delay published
    assert delays == "|Forces alertées → accusé de réception||< 5||non publié||non publié||non publié|"
    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert "&lt; 5" in cells
    for cell in cells:  # no published count from 1 to 4 anywhere
        assert not re.fullmatch(r"[1-4]", cell.strip()), cell


def test_a_service_publishing_a_small_count_is_refused_not_shown(console):
    """The page shows only what the API publishes: the API refuses an answer with a small
    count that is not suppressed, so the page shows an error and no figure."""
    client, fake = console

    def leaky(query):
        answer = fake_statistics.alert_statistics(query)
        answer["alerts"] = {"value": 3, "suppressed": False}
        return answer

    fake.handlers[("alert", "statistics")] = leaky
    page = client.get("/regulation/stats", params=PERIOD, headers=HTML)
    assert page.status_code == 500
    assert "Statistiques indisponibles" in text(page)
    assert 'data-figure="alerts.alerts"' not in page.text
    assert client.get("/regulation/stats/plots/alerts.svg", params=PERIOD).status_code == 500


def test_other_people_are_refused_the_statistics_pages(console):
    client, fake = console
    magistrate = fresh_client(client)
    login(magistrate, "m.exemple", client.passwords["m.exemple"])
    fake.calls.clear()
    for path in ("/regulation/stats", "/regulation/stats/plots/activity.svg", "/regulation/stats.csv"):
        assert magistrate.get(path, params=PERIOD).status_code == 403, path
    assert fake.calls == []


def test_shown_figures_and_delays():
    assert stats.shown_count({"value": None, "suppressed": True}) == "< 5"
    assert stats.shown_count({"value": 0, "suppressed": False}) == "0"
    assert stats.shown_count({"value": 12345, "suppressed": False}) == "12\u202f345"
    assert stats.shown_seconds(None) == "non publié"
    assert stats.shown_seconds(0.0712) == "0,07 s"
    assert stats.shown_seconds(40.4) == "40 s"
    assert stats.shown_seconds(240.0) == "4 min 00 s"
    assert stats.shown_seconds(7260.0) == "2 h 01 min"
