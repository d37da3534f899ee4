"""A court's exact figures beside its department's totals (pure): the answer of
``GET /v1/court-statistics`` for the parquet and the steering committee."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import Field

from tgd_contracts.base import Contract
from tgd_contracts.statistics.figures import AlertFigures, DeviceFigures, EvaluationFigures, ReferralFigures, total
from tgd_contracts.statistics.period import TIMEZONE


class CourtFigures(Contract):
    """Every service's exact figures of one court (or of a department's courts added up)."""

    referrals: ReferralFigures
    evaluations: EvaluationFigures
    devices: DeviceFigures
    alerts: AlertFigures


class CourtStatistics(Contract):
    """Exact counts of one court and period, with its department's totals beside them
    (chiffres exacts du ressort et totaux du département). Not anonymised: only for the
    court's parquet and the department's steering committee."""

    jurisdiction: str
    department: str
    starts_on: date
    ends_on: date
    timezone: str = Field(description="Days are calendar days in this time zone.")
    exact: bool = Field(description="Always true: nothing here is suppressed.")
    courts_in_department: list[str]
    court: CourtFigures
    department_totals: CourtFigures = Field(description="The sum over the department's courts (delays: samples only).")


def department_totals(courts: Sequence[CourtFigures], department: str) -> CourtFigures:
    """The department's figures: each section added up over its courts."""
    return CourtFigures(
        referrals=total([c.referrals for c in courts], department),
        evaluations=total([c.evaluations for c in courts], department),
        devices=total([c.devices for c in courts], department),
        alerts=total([c.alerts for c in courts], department),
    )


def court_statistics(jurisdiction: str, department: str, courts: dict[str, CourtFigures]) -> CourtStatistics:
    """``courts``: every court of the department (including ``jurisdiction``) -> its figures."""
    if jurisdiction not in courts:
        raise ValueError(f"the figures of {jurisdiction!r} are missing")
    own = courts[jurisdiction]
    return CourtStatistics(
        jurisdiction=jurisdiction,
        department=department,
        starts_on=own.referrals.starts_on,
        ends_on=own.referrals.ends_on,
        timezone=TIMEZONE,
        exact=True,
        courts_in_department=sorted(courts),
        court=own,
        department_totals=department_totals([courts[c] for c in sorted(courts)], department),
    )
