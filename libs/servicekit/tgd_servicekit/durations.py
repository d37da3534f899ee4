"""Configured durations: ISO 8601 periods (``P6M``, ``P15D``, ``PT2H``, ``PT0.5S``),
parsed once from configuration and added to a moment by pure domain code.

Months are calendar months (6 months from 31 August is 28/29 February), which is how
a magistrate reads "6 mois"; everything else is an exact duration.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_ISO = re.compile(
    r"^P(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True)
class Period:
    months: int = 0
    delta: timedelta = timedelta(0)

    def after(self, moment: datetime) -> datetime:
        """``moment`` + this period."""
        return add_months(moment, self.months) + self.delta

    def before(self, moment: datetime) -> datetime:
        """``moment`` - this period."""
        return add_months(moment, -self.months) - self.delta


def add_months(moment: datetime, months: int) -> datetime:
    if not months:
        return moment
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def parse_period(text: str | int | float) -> Period:
    """An ISO 8601 period (years and weeks are not used); a bare number is seconds."""
    if isinstance(text, int | float):
        return Period(delta=timedelta(seconds=float(text)))
    match = _ISO.match(str(text).strip())
    if not match or str(text).strip() in ("P", "PT") or str(text).strip().endswith("T"):
        raise ValueError(f"not an ISO 8601 period: {text!r}")
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return Period(
        months=int(parts["months"]),
        delta=timedelta(days=parts["days"], hours=parts["hours"], minutes=parts["minutes"], seconds=parts["seconds"]),
    )
