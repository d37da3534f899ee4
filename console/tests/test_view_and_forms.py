"""Pure rules of the screens (order, deadlines in Paris time) and forms -> API bodies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tgd_console import forms, view

NOW = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # already 11 March in Paris


def test_the_inbox_puts_urgent_referrals_on_top_then_the_newest():
    referrals = [
        {"id": "a", "urgency": "standard", "received_at": "2026-03-09T10:00:00Z"},
        {"id": "b", "urgency": "urgent", "received_at": "2026-03-01T10:00:00Z"},
        {"id": "c", "urgency": "urgent", "received_at": "2026-03-05T10:00:00Z"},
        {"id": "d", "urgency": "standard", "received_at": "2026-03-10T10:00:00Z"},
    ]
    rows = view.inbox(referrals, {"c": {"status": "evaluation_requested"}})
    assert [r["id"] for r in rows] == ["c", "b", "d", "a"]
    assert rows[0]["measure"] == {"status": "evaluation_requested"}
    assert rows[1]["measure"] is None


@pytest.mark.parametrize(
    ("due_on", "late"), [("2026-03-10", True), ("2026-03-11", False), ("2026-03-12", False), (None, False)]
)
def test_a_report_is_late_after_its_due_day_in_paris(due_on, late):
    assert view.overdue(due_on, NOW) is late


def test_measures_ending_within_thirty_days_are_flagged():
    assert view.ending_soon("2026-04-01T00:00:00Z", NOW)
    assert not view.ending_soon("2026-05-01T00:00:00Z", NOW)
    assert not view.ending_soon(None, NOW)


@pytest.mark.parametrize(
    ("due", "flag"),
    [("2026-03-10T12:00:00Z", "overdue"), ("2026-03-12T00:00:00Z", "due"), ("2026-03-20T00:00:00Z", None)],
)
def test_test_calls_due_or_overdue(due, flag):
    assert view.test_call_flag(due, NOW) == flag


def test_dates_are_shown_in_paris_time():
    assert view.paris("2026-03-10T23:30:00Z") == "11/03/2026 00:30"
    assert view.french_date("2026-03-10") == "10/03/2026"


def test_the_report_form_lists_one_answer_per_item_blank_being_unknown():
    fields = {
        "instrument": ["dash-like:1"],
        "item-q01": ["yes"],
        "item-q02": ["no"],
        **{f"victim-{p}": ["Fictif."] for p in forms.SITUATION_PARTS},
    }
    body = forms.report(fields, ["q01", "q02", "q03"])
    assert body["risk"]["instrument_id"] == "dash-like"
    assert body["risk"]["instrument_version"] == "1"
    assert body["risk"]["items"] == [
        {"item_id": "q01", "answer": "yes"},
        {"item_id": "q02", "answer": "no"},
        {"item_id": "q03", "answer": "unknown"},
    ]
    assert "override" not in body["risk"]


def test_an_empty_optional_field_is_left_out_of_the_withdrawal():
    body = forms.withdrawal({"reason": ["danger_ceased"], "decided_by": ["Parquet fictif"], "committee_on": [""]})
    assert body == {"reason": "danger_ceased", "decided_by": "Parquet fictif"}
