"""ISO 8601 periods of the configuration, added to moments by domain code."""

from datetime import UTC, datetime, timedelta

import pytest

from tgd_servicekit.durations import Period, add_months, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P6M", Period(months=6)),
        ("P15D", Period(delta=timedelta(days=15))),
        ("PT2H", Period(delta=timedelta(hours=2))),
        ("PT0.5S", Period(delta=timedelta(seconds=0.5))),
        ("P1M2DT3H4M5S", Period(months=1, delta=timedelta(days=2, hours=3, minutes=4, seconds=5))),
        (3, Period(delta=timedelta(seconds=3))),
    ],
)
def test_parse(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "6M", "P1Y", "P2W", "PT5", "P1DT"])
def test_refused(text):
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_period(text)


def test_calendar_months_clamp_to_the_end_of_the_month():
    assert add_months(datetime(2026, 8, 31, 9, tzinfo=UTC), 6) == datetime(2027, 2, 28, 9, tzinfo=UTC)
    assert add_months(datetime(2026, 1, 15, tzinfo=UTC), -2) == datetime(2025, 11, 15, tzinfo=UTC)


def test_after_and_before_are_inverse_for_exact_durations():
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    period = parse_period("P15D")
    assert period.before(period.after(moment)) == moment
    assert parse_period("P6M").after(moment) == datetime(2026, 9, 1, tzinfo=UTC)
