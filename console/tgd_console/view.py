"""Pure rules of the screens: order, deadlines and flags, dates in Paris time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tgd_contracts.jurisdictions import JURISDICTIONS

PARIS = ZoneInfo("Europe/Paris")
ENDING_WITHIN = timedelta(days=30)  # "mesures arrivant à échéance"
TEST_CALL_SOON = timedelta(days=2)  # the device service's reminder lead (TEST_CALL_REMINDER_LEAD)


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def paris(value: Any) -> str:
    moment = parse_time(value)
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if moment else "—"


def french_date(value: Any) -> str:
    if not value:
        return "—"
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if len(text) == 10:
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    moment = parse_time(text)
    return moment.astimezone(PARIS).strftime("%d/%m/%Y") if moment else "—"


def today_in_paris(now: datetime) -> date:
    return now.astimezone(PARIS).date()


def inbox(referrals: Iterable[Mapping[str, Any]], measures: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The referral inbox: urgent ones on top, then the newest; each with its measure."""
    rows = [{**r, "measure": measures.get(str(r["id"]))} for r in referrals]
    rows.sort(key=lambda r: str(r["received_at"]), reverse=True)
    rows.sort(key=lambda r: r.get("urgency") != "urgent")
    return rows


def overdue(due_on: Any, now: datetime) -> bool:
    """A report is late after its due date (the whole due day counts, in Paris)."""
    if not due_on:
        return False
    return date.fromisoformat(str(due_on)[:10]) < today_in_paris(now)


def ending_soon(ends_at: Any, now: datetime, within: timedelta = ENDING_WITHIN) -> bool:
    moment = parse_time(ends_at)
    return moment is not None and moment - now <= within


def test_call_flag(next_due: Any, now: datetime) -> str | None:
    """``overdue``, ``due`` (within the reminder lead) or None."""
    moment = parse_time(next_due)
    if moment is None:
        return None
    if moment < now:
        return "overdue"
    return "due" if moment - now <= TEST_CALL_SOON else None


def by_referral(measures: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(m["referral_id"]): m for m in measures}


def answers_by_item(report: Mapping[str, Any] | None) -> dict[str, str]:
    if not report:
        return {}
    return {str(i["item_id"]): str(i["answer"]) for i in report.get("risk", {}).get("items", [])}


def instrument_of(instruments: Iterable[Mapping[str, Any]], instrument_id: str, version: str) -> Mapping[str, Any]:
    """The instrument's description (items, weights), or an empty one when unknown."""
    for i in instruments:
        if i["instrument_id"] == instrument_id and i["instrument_version"] == version:
            return i
    return {"instrument_id": instrument_id, "instrument_version": version, "title": instrument_id, "items": []}


def department_courts(jurisdiction: str) -> list[Any]:
    """The other courts of the court's department (where a terminal may be transferred)."""
    here = JURISDICTIONS.get(jurisdiction)
    if here is None:
        return []
    return [c for c in JURISDICTIONS.values() if c.department == here.department and c.code != jurisdiction]
