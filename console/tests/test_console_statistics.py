"""The parquet's statistics screen: exact counts of its court with the department's
totals, in French, read with the magistrate's own token; the period chosen; bad dates
refused in French; the association has no such screen."""

from __future__ import annotations

from tgd_console.stats_view import hours, rows_of

from tgd_testkit.fake_statistics import HISTORY

from .conftest import log_in


def test_the_parquet_sees_exact_counts_and_the_department_totals(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    page = client.get("/parquet/statistics", params={"du": "2026-01-01", "au": "2026-06-30"})
    assert page.status_code == 200, page.text
    text = page.text
    assert "Statistiques du ressort tj-moulins" in text
    assert "Total du département 03" in text
    assert "01/01/2026" in text
    assert "30/06/2026" in text
    assert "heure de Paris" in text
    # 3 lawyers: exact here (the observatory shows &lt;5), and 3 courts in Allier
    assert "<td>Signalant : Avocat</td><td>3</td><td>9</td>" in text
    refused = HISTORY["refused"]
    assert f"<td>dont refus</td><td>{refused}</td><td>{3 * refused}</td>" in text
    assert "&lt;5" not in text
    asked = [kw["query"] for s, m, kw in services.calls if m == "exact_statistics"]
    assert {q["starts_on"] for q in asked} == {"2026-01-01"}
    assert {q["jurisdiction"] for q in asked} == {"tj-moulins", "tj-montlucon", "tj-cusset"}


def test_a_bad_date_is_refused_in_french_and_nothing_is_asked(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    page = client.get("/parquet/statistics", params={"du": "premier janvier"})
    assert page.status_code == 400
    assert "Période invalide" in page.text
    assert not [m for _, m, _ in services.calls if m == "exact_statistics"]


def test_a_reversed_period_is_refused_by_the_api_in_french(world):
    client, _, people = world
    log_in(client, people, "m.exemple")
    page = client.get("/parquet/statistics", params={"du": "2026-07-01", "au": "2026-01-01"})
    assert "Formulaire incomplet ou invalide" in page.text


def test_the_association_has_no_statistics_screen(world):
    client, _, people = world
    log_in(client, people, "a.exemple")
    assert client.get("/parquet/statistics").status_code == 403


def test_rows_put_each_court_figure_beside_the_department_total():
    def section(**values):
        return values

    court = {
        "referrals": section(referrals=2, by_urgency={"urgent": 1, "standard": 1}, by_referrer_kind={"judge": 0}),
        "evaluations": section(
            evaluations_requested=1,
            evaluations_completed=1,
            decisions=1,
            attributions=1,
            refusals=0,
            renewals=0,
            measures_active=1,
            measures_ended=0,
            withdrawals=0,
            expiries=0,
            withdrawals_by_reason={"non_compliance": 0},
        ),
        "alerts": section(alerts=0, automatic_dispatches=0, by_nature={"danger": 0}, by_outcome={"none": 0}),
        "devices": section(in_stock=1, assigned=1, overdue_test_calls=0, provisioned=1, returned=0),
    }
    department = {**court, "referrals": section(referrals=5, by_urgency={"urgent": 4, "standard": 1},
                                                by_referrer_kind={"judge": 0})}  # fmt: skip
    rows = rows_of({"court": court, "department_totals": department})
    assert ("Signalements", "Signalements reçus", 2, 5) in rows
    assert ("Signalements", "Signalements : Urgents", 1, 4) in rows
    assert not [r for r in rows if "Juge" in r[1]]  # a category empty in the whole department is left out
    assert ("Téléphones", "En stock (aujourd'hui)", 1, 1) in rows


def test_delays_read_in_hours_and_minutes():
    assert hours(None) == "—"
    assert hours(45) == "1 min"
    assert hours(3 * 3600 + 20 * 60) == "3 h 20"
