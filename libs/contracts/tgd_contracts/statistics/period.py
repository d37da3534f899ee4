"""The period of a statistics query: calendar days in Europe/Paris time.

A day is the French civil day of the partners who read the figures (the parquet, the
steering committee, the observatory), not a UTC day: an alert at 23:30 UTC on 31 March
is counted on 1 April in Paris (UTC+2 in summer, UTC+1 in winter). The window is
``[starts_on 00:00 Paris, ends_on + 1 day 00:00 Paris)``; across a change of time a day
lasts 23 or 25 hours, which ``zoneinfo`` handles.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar, Self
from zoneinfo import ZoneInfo

from pydantic import model_validator

from tgd_contracts.base import Contract
from tgd_contracts.referral import JurisdictionCode

PARIS = ZoneInfo("Europe/Paris")
TIMEZONE = "Europe/Paris"
MAX_PERIOD_DAYS = 3_700  # about ten years


def paris_midnight(day: date) -> datetime:
    """The start of ``day`` in Paris, as an aware UTC instant."""
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


def paris_day(moment: datetime) -> date:
    """The Paris calendar day of an instant (a naive instant is UTC, as stored)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(PARIS).date()


def today_in_paris(now: datetime) -> date:
    return paris_day(now)


class StatisticsQuery(Contract):
    """One jurisdiction, one period of calendar days (both included, Europe/Paris time)."""

    SCHEMA_VERSION: ClassVar[str] = "1.1.0"  # 1.1.0: days are Paris days (they were UTC days)

    jurisdiction: JurisdictionCode
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        if (self.ends_on - self.starts_on).days > MAX_PERIOD_DAYS:
            raise ValueError(f"the period is at most {MAX_PERIOD_DAYS} days")
        return self

    def window(self) -> tuple[datetime, datetime]:
        """``[start, end)`` as aware UTC instants: Paris midnight to Paris midnight."""
        return paris_midnight(self.starts_on), paris_midnight(self.ends_on + timedelta(days=1))

    def covers(self, moment: datetime | None) -> bool:
        if moment is None:
            return False
        start, end = self.window()
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return start <= aware < end

    def for_court(self, jurisdiction: str) -> StatisticsQuery:
        """The same period for another court (the department's totals)."""
        return StatisticsQuery(jurisdiction=jurisdiction, starts_on=self.starts_on, ends_on=self.ends_on)
