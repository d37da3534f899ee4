"""Exact figures, department totals, anonymisation of the same figures, and Paris days
(the change of time and midnight UTC), without I/O."""

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from tgd_contracts.statistics import (
    AlertFigures,
    Count,
    CourtFigures,
    DeviceFigures,
    EvaluationFigures,
    ExactDelay,
    ReferralFigures,
    StatisticsQuery,
    Stock,
    court_statistics,
    exact_delay,
    paris_day,
    tally,
    total,
)
from tgd_contracts.statistics import anonymise as anonymised

PERIOD = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 6, 30)}
AS_OF = datetime(2026, 7, 1, tzinfo=UTC)
NATURES = ["danger", "test_call", "accidental", "not_qualified"]
OUTCOMES = ["author_arrested", "on_site", "none"]
REASONS = ["danger_ceased", "author_incarcerated"]


def figures(court: str, n: int) -> CourtFigures:
    """A court's exact figures; ``n`` scales them (1 gives the small counts a court really has)."""
    p = {"jurisdiction": court, **PERIOD}
    return CourtFigures(
        referrals=ReferralFigures(
            **p,
            referrals=3 * n,
            by_urgency=tally({"urgent": 2 * n, "standard": n}, ["urgent", "standard"]),
            by_referrer_kind=tally({"hospital": 3 * n}, ["hospital", "lawyer"]),
        ),
        evaluations=EvaluationFigures(
            **p,
            evaluations_requested=2 * n,
            evaluations_completed=2 * n,
            decisions=2 * n,
            attributions=n,
            refusals=n,
            renewals=0,
            expiries=0,
            withdrawals=n,
            withdrawals_by_reason=tally({"danger_ceased": n}, REASONS),
            measures_ended=n,
            measures_active=n,
            requisition_to_report=exact_delay([3600.0] * n),
            report_to_decision=exact_delay([]),
        ),
        devices=DeviceFigures(
            **p, as_of=AS_OF, in_stock=n, assigned=n, overdue_test_calls=0, provisioned=n, returned=n
        ),
        alerts=AlertFigures(
            **p,
            alerts=n,
            by_nature=tally({"danger": n}, NATURES),
            by_outcome=tally({"on_site": n}, OUTCOMES),
            automatic_dispatches=0,
            trigger_to_taken=exact_delay([12.0] * n),
            taken_to_dispatched=exact_delay([]),
            dispatched_to_acknowledged=exact_delay([]),
        ),
    )


def test_exact_figures_keep_small_counts():
    f = figures("tj-moulins", 1)
    assert f.referrals.referrals == 3
    assert f.evaluations.attributions == 1
    assert f.evaluations.refusals == 1
    assert f.devices.in_stock == 1
    assert f.alerts.trigger_to_taken == ExactDelay(samples=1, p50_s=12.0, p90_s=12.0, max_s=12.0)


def test_the_same_figures_anonymised_suppress_small_counts_but_never_the_stock():
    f = figures("tj-moulins", 1)
    hidden = Count(value=None, suppressed=True)
    assert anonymised.referrals(f.referrals).referrals == hidden
    evaluations = anonymised.evaluations(f.evaluations)
    assert evaluations.attributions == hidden
    assert evaluations.refusals == hidden
    devices = anonymised.devices(f.devices)
    assert devices.in_stock == Stock(value=1)  # phones, not people
    assert devices.provisioned == hidden
    delay = anonymised.alerts(f.alerts).trigger_to_taken
    assert delay.samples == hidden
    assert delay.p50_s is None


def test_anonymised_large_figures_are_published_as_they_are():
    f = figures("tj-paris", 5)
    assert anonymised.referrals(f.referrals).referrals == Count(value=15, suppressed=False)
    assert anonymised.alerts(f.alerts).trigger_to_taken.p50_s == 12.0


def test_a_stock_count_is_never_suppressed_and_never_negative():
    assert Stock(value=2).label() == "2"
    with pytest.raises(ValidationError):
        Stock(value=2, suppressed=True)
    with pytest.raises(ValidationError):
        Stock(value=-1)


def test_department_totals_add_every_court_up():
    courts = {"tj-moulins": figures("tj-moulins", 1), "tj-montlucon": figures("tj-montlucon", 4),
              "tj-cusset": figures("tj-cusset", 2)}  # fmt: skip
    answer = court_statistics("tj-moulins", "03", courts)
    assert answer.exact
    assert answer.timezone == "Europe/Paris"
    assert answer.court.referrals.referrals == 3
    assert answer.courts_in_department == ["tj-cusset", "tj-montlucon", "tj-moulins"]
    totals = answer.department_totals
    assert totals.referrals.referrals == 3 * 7
    assert totals.referrals.by_urgency == {"urgent": 14, "standard": 7}
    assert totals.evaluations.measures_active == 7
    assert totals.devices.in_stock == 7
    assert totals.alerts.by_nature["danger"] == 7
    # percentiles do not add up: the department's delays give the samples only
    assert totals.alerts.trigger_to_taken == ExactDelay(samples=7)
    assert totals.referrals.jurisdiction == "03"


def test_totals_refuse_figures_of_different_periods_or_kinds():
    a = figures("tj-moulins", 1).referrals
    b = a.model_copy(update={"ends_on": date(2026, 12, 31)})
    with pytest.raises(ValueError, match="periods"):
        total([a, b], "03")
    with pytest.raises(ValueError, match="kinds"):
        total([a, figures("tj-cusset", 1).alerts], "03")  # type: ignore[list-item]
    with pytest.raises(ValueError):
        total([], "03")


def test_a_court_missing_from_its_department_is_refused():
    with pytest.raises(ValueError, match="tj-moulins"):
        court_statistics("tj-moulins", "03", {"tj-cusset": figures("tj-cusset", 1)})


def test_exact_delay_percentiles_on_any_number_of_samples():
    assert exact_delay([]) == ExactDelay(samples=0)
    assert exact_delay([-5.0, 10.0, 20.0]) == ExactDelay(samples=3, p50_s=10.0, p90_s=20.0, max_s=20.0)


# -- Paris days ----------------------------------------------------------------------


def test_a_moment_after_midnight_in_paris_but_before_midnight_utc_is_the_next_day():
    # winter (UTC+1): 23:30 UTC on 14 January is 00:30 on 15 January in Paris
    assert paris_day(datetime(2026, 1, 14, 23, 30, tzinfo=UTC)) == date(2026, 1, 15)
    # summer (UTC+2): 22:30 UTC on 14 July is 00:30 on 15 July
    assert paris_day(datetime(2026, 7, 14, 22, 30, tzinfo=UTC)) == date(2026, 7, 15)
    assert paris_day(datetime(2026, 7, 14, 21, 59)) == date(2026, 7, 14)  # naive = UTC


def test_the_day_of_the_spring_change_lasts_23_hours():
    day = StatisticsQuery(jurisdiction="tj-moulins", starts_on=date(2026, 3, 29), ends_on=date(2026, 3, 29))
    start, end = day.window()
    assert start == datetime(2026, 3, 28, 23, tzinfo=UTC)  # midnight CET
    assert end == datetime(2026, 3, 29, 22, tzinfo=UTC)  # midnight CEST
    assert end - start == timedelta(hours=23)
    assert day.covers(datetime(2026, 3, 29, 21, 59, tzinfo=UTC))
    assert not day.covers(datetime(2026, 3, 29, 22, 0, tzinfo=UTC))


def test_the_day_of_the_autumn_change_lasts_25_hours():
    day = StatisticsQuery(jurisdiction="tj-moulins", starts_on=date(2026, 10, 25), ends_on=date(2026, 10, 25))
    start, end = day.window()
    assert (start, end) == (datetime(2026, 10, 24, 22, tzinfo=UTC), datetime(2026, 10, 25, 23, tzinfo=UTC))
    assert end - start == timedelta(hours=25)


def test_consecutive_periods_count_every_moment_once_across_the_change():
    march = StatisticsQuery(jurisdiction="tj-moulins", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31))
    april = StatisticsQuery(jurisdiction="tj-moulins", starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30))
    assert march.window()[1] == april.window()[0] == datetime(2026, 3, 31, 22, tzinfo=UTC)
    moment = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 April in Paris
    assert (march.covers(moment), april.covers(moment)) == (False, True)
