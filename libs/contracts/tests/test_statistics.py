"""The observatory's anonymisation rules, without I/O."""

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from tgd_contracts.statistics import (
    SMALL_COUNT_THRESHOLD,
    Count,
    Delay,
    StatisticsQuery,
    breakdown,
    count,
    delay,
    percentile,
)


@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_small_counts_are_suppressed(value):
    assert count(value) == Count(value=None, suppressed=True)
    assert count(value).label() == "<5"


@pytest.mark.parametrize("value", [0, 5, 6, 120])
def test_zero_and_counts_from_the_threshold_are_published(value):
    assert count(value) == Count(value=value, suppressed=False)
    assert count(value).label() == str(value)


def test_a_count_cannot_be_published_small_nor_negative():
    with pytest.raises(ValidationError):
        Count(value=3, suppressed=False)
    with pytest.raises(ValidationError):
        Count(value=None, suppressed=False)
    with pytest.raises(ValueError):
        count(-1)


def test_breakdown_lists_every_category_and_suppresses_small_cells():
    cells = breakdown({"a": 7, "b": 2, "c": 3}, ["a", "b", "c", "d"])
    assert cells == {
        "a": count(7),
        "b": Count(value=None, suppressed=True),
        "c": Count(value=None, suppressed=True),
        "d": count(0),
    }


def test_a_lone_suppressed_cell_takes_the_smallest_other_cell_with_it():
    # total 17 is published: b = 17 - 6 - 8 would be recovered without secondary suppression
    cells = breakdown({"a": 8, "b": 3, "c": 6}, ["a", "b", "c"])
    assert [k for k, v in cells.items() if v.suppressed] == ["b", "c"]
    assert cells["a"] == count(8)


def test_no_secondary_suppression_when_the_total_itself_is_suppressed():
    cells = breakdown({"a": 3}, ["a", "b"])
    assert cells == {"a": Count(value=None, suppressed=True), "b": count(0)}


def test_breakdown_refuses_categories_outside_the_closed_list():
    with pytest.raises(ValueError):
        breakdown({"someone": 9}, ["a"])


def test_nearest_rank_percentiles():
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert percentile(values, 50) == 5.0
    assert percentile(values, 90) == 9.0
    assert percentile(values, 100) == 10.0
    assert percentile([4.0], 50) == 4.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_delays_need_enough_samples():
    few = delay([1.0] * (SMALL_COUNT_THRESHOLD - 1))
    assert few == Delay(samples=Count(value=None, suppressed=True))
    assert delay([]) == Delay(samples=count(0))
    enough = delay([30, 10, 20, 50, 40, -2])  # a negative delay (clock skew) counts as 0
    assert enough.samples == count(6)
    assert (enough.p50_s, enough.p90_s, enough.max_s) == (20.0, 50.0, 50.0)


def test_a_delay_cannot_be_published_on_too_few_samples():
    with pytest.raises(ValidationError):
        Delay(samples=Count(value=None, suppressed=True), p50_s=1.0, p90_s=1.0, max_s=1.0)


def test_query_window_covers_whole_days_in_paris():
    query = StatisticsQuery(jurisdiction="tj-moulins", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31))
    # winter: Paris is UTC+1, so the days start at 23:00 UTC the evening before
    assert query.window() == (datetime(2025, 12, 31, 23, tzinfo=UTC), datetime(2026, 1, 31, 23, tzinfo=UTC))
    assert query.covers(datetime(2026, 1, 31, 22, 59, tzinfo=UTC))
    assert not query.covers(datetime(2026, 1, 31, 23, 0, tzinfo=UTC))  # already 1 February in Paris
    assert query.covers(datetime(2025, 12, 31, 23, 0))  # naive datetimes are UTC: 1 January 00:00 in Paris
    assert not query.covers(datetime(2025, 12, 31, 22, 59, tzinfo=UTC))
    assert not query.covers(None)


def test_query_refuses_a_reversed_period():
    with pytest.raises(ValidationError):
        StatisticsQuery(jurisdiction="tj-moulins", starts_on=date(2026, 2, 1), ends_on=date(2026, 1, 1))
