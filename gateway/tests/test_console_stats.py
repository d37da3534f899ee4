"""The observatory's statistics in the operator console (gateway/console/stats.py), on the
fake services: the page, the SVG plots and the CSV relayed from /v1/observatory, who may
see them, and that a small count is never shown."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from gateway import plots, plots_fr
from gateway.console import stats
from gateway.console.operators import OperatorStore
from gateway.main import create_app
from gateway.observatory_stats import gather_statistics
from gateway.plots import PlotName
from gateway.settings import Settings
from gateway.testing import fake_statistics
from gateway.testing.fake_services import FakeServices
from gateway.testing.tokens import auth_headers
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.statistics import StatisticsQuery

from .test_console import login, text

PERIOD = {"jurisdiction": "tj-moulins", "from": "2026-01-01", "to": "2026-06-30"}
QUERY = "jurisdiction=tj-moulins&from=2026-01-01&to=2026-06-30"
HTML = {"accept": "text/html"}
PLOTS = ("activity", "withdrawals", "alerts", "delays")


@pytest.fixture
def console(tmp_path):
    fake = FakeServices(lambda object_id: "tj-moulins")
    settings = Settings(data_dir=tmp_path, rate_per_s=1e6, rate_burst=1_000_000)
    app = create_app(settings, rpc=fake)
    _, password = OperatorStore.in_dir(tmp_path).register_operator("c.exemple", "Opératrice Fictive")
    client = TestClient(app, raise_server_exceptions=False)
    login(client, "c.exemple", password)
    return client, fake


def figure(page_text: str, key: str) -> str:
    """The cells of a figure's row (``data-figure`` key) as text."""
    row = re.search(rf'<tr data-figure="{re.escape(key)}">(.*?)</tr>', page_text, re.S)
    assert row, key
    return html.unescape(re.sub(r"<[^>]+>", "|", row.group(1)))


def test_without_a_session_the_page_sends_to_the_login_and_the_plots_and_csv_answer_401(tmp_path):
    client = TestClient(create_app(Settings(data_dir=tmp_path), rpc=FakeServices()), raise_server_exceptions=False)
    page = client.get("/console/stats", params=PERIOD, headers=HTML, follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/console/login")
    for path in ("/console/stats/plots/activity.svg", "/console/stats.csv"):
        response = client.get(path, params=PERIOD)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthenticated"


def test_the_page_is_french_with_the_jurisdictions_the_period_the_four_plots_and_the_csv_link(console):
    client, fake = console
    page = client.get("/console/stats", params=PERIOD, headers=HTML)
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
        assert f'src="/console/stats/plots/{name}.svg?{QUERY}"' in body
    assert re.search(r'<img [^>]*alt="[^"]+"', page.text)  # every plot has a text alternative
    assert f'href="/console/stats.csv?{QUERY}"' in body
    assert "img-src 'self'" in page.headers["content-security-policy"]
    # the page read the figures through the API: one statistics call per service, with the period
    assert sorted(m for _, m, _ in fake.calls) == ["statistics"] * 4
    assert {kw["query"]["starts_on"] for _, _, kw in fake.calls} == {"2026-01-01"}


def test_the_console_header_links_to_the_statistics_with_an_access_key(console):
    client, _ = console
    screen = client.get("/console", headers=HTML)
    assert re.search(r'<a href="/console/stats" accesskey="s"[^>]*>Statistiques</a>', screen.text)
    page = client.get("/console/stats", headers=HTML)
    assert re.search(r'<a href="/console/stats" accesskey="s" aria-current="page">', page.text)
    assert re.search(r'<a href="/console" accesskey="a"[^>]*>Alertes</a>', page.text)


def test_the_default_period_is_this_year_and_the_default_jurisdiction_the_first(console):
    client, fake = console
    page = client.get("/console/stats", headers=HTML)
    assert page.status_code == 200
    query = fake.calls[0][2]["query"]
    assert query["jurisdiction"] == next(iter(JURISDICTIONS))
    assert query["starts_on"].endswith("-01-01")
    assert f'value="{query["ends_on"]}"' in page.text


def test_the_plots_are_svg_relayed_from_the_api_without_csrf(console):
    client, fake = console
    for name in PLOTS:
        fake.calls.clear()
        response = client.get(f"/console/stats/plots/{name}.svg", params=PERIOD)  # no X-CSRF-Token: a GET
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.content.lstrip().startswith(b"<?xml")
        assert b"<svg" in response.content
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert {kw["query"]["jurisdiction"] for _, _, kw in fake.calls} == {"tj-moulins"}
    observatory = auth_headers("observatory", "*")
    french = client.get("/v1/observatory/plots/alerts.svg", params={**PERIOD, "lang": "fr"}, headers=observatory)
    english = client.get("/v1/observatory/plots/alerts.svg", params=PERIOD, headers=observatory)
    relayed = client.get("/console/stats/plots/alerts.svg", params=PERIOD).content
    assert relayed == french.content  # the console asks for the French texts
    assert relayed != english.content


def drawn_texts(fig) -> list[str]:
    FigureCanvasAgg(fig).draw()  # the tick labels exist once drawn
    return [t.get_text().strip() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("name", list(PlotName))
def test_the_plots_in_french_have_no_english_text_left(name):
    query = StatisticsQuery(jurisdiction="tj-moulins", starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    stats = asyncio.run(gather_statistics(FakeRpcOf(FakeServices()), query))
    english = drawn_texts(plots.figure(name, stats))
    french = drawn_texts(plots.figure(name, stats, "fr"))
    assert len(french) == len(english)
    untranslated = {t for t in french if t in plots_fr.FRENCH and plots_fr.FRENCH[t] != t}
    assert untranslated == set()
    for shown in french:
        assert not re.search(r"\b(to|samples|devices now|count|by reason|seconds)\b", shown), shown
    assert any(re.search(r", du \d\d/\d\d/2026 au 30/06/2026$", t) for t in french), french
    assert [t for t in english if t.startswith("<")] == [t for t in french if t.startswith("<")]  # same "<5"


class FakeRpcOf:
    def __init__(self, fake: FakeServices):
        self.fake = fake

    async def call(self, service: str, method: str, **kwargs):
        return self.fake.handlers[(service, method)](**kwargs)


def test_the_csv_is_relayed_with_its_file_name(console):
    client, _ = console
    response = client.get("/console/stats.csv", params=PERIOD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="tgd-tj-moulins-2026-01-01-2026-06-30.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["jurisdiction"] for r in rows} == {"tj-moulins"}


def test_an_unknown_plot_or_a_bad_period_is_refused_with_the_apis_error(console):
    client, _ = console
    assert client.get("/console/stats/plots/secrets.svg", params=PERIOD).status_code == 422
    assert client.get("/console/stats/plots/activity.png", params=PERIOD).status_code == 404
    backwards = {**PERIOD, "from": "2026-07-01"}
    for path in ("/console/stats/plots/activity.svg", "/console/stats.csv"):
        response = client.get(path, params=backwards)
        assert response.status_code == 422
        assert response.json()["error"] == "invalid_request"
    page = client.get("/console/stats", params=backwards, headers=HTML)
    assert page.status_code == 422
    assert "Période invalide" in text(page)
    assert "<img" not in page.text


def test_an_unknown_jurisdiction_or_a_malformed_day_is_said_in_french_and_nothing_is_asked(console):
    client, fake = console
    fake.calls.clear()
    unknown = client.get("/console/stats", params={**PERIOD, "jurisdiction": "tj-atlantis"}, headers=HTML)
    assert unknown.status_code == 400
    assert "Juridiction inconnue." in text(unknown)
    malformed = client.get("/console/stats", params={**PERIOD, "to": "30/06/2026"}, headers=HTML)
    assert malformed.status_code == 400
    assert "Date invalide." in text(malformed)
    assert fake.calls == []


def test_a_service_down_is_said_on_the_page(console):
    client, fake = console

    def down(query):
        from tgd_contracts.errors import ErrorCode, TgdError

        raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE)

    fake.handlers[("device", "statistics")] = down
    page = client.get("/console/stats", params=PERIOD, headers=HTML)
    assert page.status_code == 503
    assert "statistiques indisponibles" in text(page)
    assert "<img" not in page.text


def test_small_counts_are_shown_as_under_five_never_as_their_value(console, monkeypatch):
    client, _ = console
    history = {**fake_statistics.HISTORY, "natures": {"danger": 3, "test_call": 0, "accidental": 0}}
    monkeypatch.setattr(fake_statistics, "HISTORY", history)
    page = client.get("/console/stats", params=PERIOD, headers=HTML).text
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
    page = client.get("/console/stats", params=PERIOD, headers=HTML)
    assert page.status_code == 500
    assert "Statistiques indisponibles" in text(page)
    assert 'data-figure="alerts.alerts"' not in page.text
    assert client.get("/console/stats/plots/alerts.svg", params=PERIOD).status_code == 500


@pytest.mark.parametrize("role", ["observatory", "prosecutor", "association", "police", "gendarmerie", "admin"])
def test_other_roles_are_refused_the_console_pages(console, role):
    client, fake = console
    client.cookies.clear()
    fake.calls.clear()
    for path in ("/console/stats", "/console/stats/plots/activity.svg", "/console/stats.csv"):
        response = client.get(path, params=PERIOD, headers=auth_headers(role, "*" if role == "admin" else "tj-moulins"))
        assert response.status_code == 403, (role, path)
        assert response.json()["error"] == "forbidden"
    assert fake.calls == []


def test_a_local_teleassistance_client_is_refused_the_console_but_may_read_its_own_statistics(console):
    client, _ = console
    client.cookies.clear()
    local = auth_headers("teleassistance", "tj-moulins")
    assert client.get("/console/stats", params=PERIOD, headers=local).status_code == 403
    assert client.get("/v1/observatory/statistics", params=PERIOD, headers=local).status_code == 200
    foreign = {**PERIOD, "jurisdiction": "tj-paris"}
    assert client.get("/v1/observatory/statistics", params=foreign, headers=local).status_code == 403


def test_shown_figures_and_delays():
    assert stats.shown_count({"value": None, "suppressed": True}) == "< 5"
    assert stats.shown_count({"value": 0, "suppressed": False}) == "0"
    assert stats.shown_count({"value": 12345, "suppressed": False}) == "12\u202f345"
    assert stats.shown_seconds(None) == "non publié"
    assert stats.shown_seconds(0.0712) == "0,07 s"
    assert stats.shown_seconds(40.4) == "40 s"
    assert stats.shown_seconds(240.0) == "4 min 00 s"
    assert stats.shown_seconds(7260.0) == "2 h 01 min"
