"""Exact figures (chiffres exacts) of one court and period, for the people who decide:
the parquet of the court and the departmental steering committee (comité de pilotage,
seed 001 action 11: "suivi du nombre de TGD attribués par ressort en commission"). They
know these women already, so nothing is suppressed here; the observatory and any public
export get :mod:`tgd_contracts.statistics.anonymise` of the same figures instead.

Each service computes its own figures (``exact_statistics`` RPC); the pure functions
below add courts up into department totals. Percentiles cannot be added up: a
department's delays give the number of samples only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import Field, StrictInt

from tgd_contracts.base import Contract
from tgd_contracts.statistics.published import Period, percentile

Tally = dict[str, StrictInt]  # category -> exact count (every category of the closed list)


class ExactDelay(Contract):
    """The delay of one step in seconds: percentiles on any number of samples (None on none)."""

    samples: StrictInt = Field(ge=0)
    p50_s: float | None = None
    p90_s: float | None = None
    max_s: float | None = None


class ReferralFigures(Period):
    """Signalements received in the period (exact)."""

    referrals: StrictInt = Field(ge=0)
    by_urgency: Tally
    by_referrer_kind: Tally


class EvaluationFigures(Period):
    """Réquisitions, rapports, décisions (granted/refused), renewals, measures ended, and
    the measures in progress now (exact)."""

    evaluations_requested: StrictInt = Field(ge=0)
    evaluations_completed: StrictInt = Field(ge=0)
    decisions: StrictInt = Field(ge=0)
    attributions: StrictInt = Field(ge=0, description="Decisions granting a device.")
    refusals: StrictInt = Field(ge=0)
    renewals: StrictInt = Field(ge=0)
    expiries: StrictInt = Field(ge=0)
    withdrawals: StrictInt = Field(ge=0)
    withdrawals_by_reason: Tally
    measures_ended: StrictInt = Field(ge=0, description="Withdrawals and expiries in the period.")
    measures_active: StrictInt = Field(ge=0, description="Measures in progress now (a stock: no period).")
    requisition_to_report: ExactDelay
    report_to_decision: ExactDelay


class DeviceFigures(Period):
    """Terminals: the stock now, and provisionings and returns in the period (exact)."""

    as_of: datetime
    in_stock: StrictInt = Field(ge=0)
    assigned: StrictInt = Field(ge=0)
    overdue_test_calls: StrictInt = Field(ge=0)
    provisioned: StrictInt = Field(ge=0)
    returned: StrictInt = Field(ge=0)


class AlertFigures(Period):
    """Alerts raised in the period by nature and outcome, and the delays of each step (exact)."""

    alerts: StrictInt = Field(ge=0)
    by_nature: Tally
    by_outcome: Tally
    automatic_dispatches: StrictInt = Field(ge=0)
    trigger_to_taken: ExactDelay
    taken_to_dispatched: ExactDelay
    dispatched_to_acknowledged: ExactDelay


def exact_delay(seconds: Iterable[float]) -> ExactDelay:
    """Percentiles of a step's delays (nearest rank); negative delays (two clocks) count as 0."""
    values = sorted(max(0.0, float(s)) for s in seconds)
    if not values:
        return ExactDelay(samples=0)
    return ExactDelay(
        samples=len(values),
        p50_s=round(percentile(values, 50), 3),
        p90_s=round(percentile(values, 90), 3),
        max_s=round(values[-1], 3),
    )


def tally(values: dict[str, int], categories: Iterable[str]) -> Tally:
    """Every category of the closed list (absent ones 0); a category outside it is refused."""
    cells = {c: int(values.get(c, 0)) for c in categories}
    unknown = set(values) - set(cells)
    if unknown:
        raise ValueError(f"categories outside the closed list: {sorted(unknown)}")
    return cells


F = TypeVar("F", ReferralFigures, EvaluationFigures, DeviceFigures, AlertFigures)
PERIOD_FIELDS = frozenset({"jurisdiction", "starts_on", "ends_on", "as_of"})


def _add(values: Sequence[Any]) -> Any:
    first = values[0]
    if isinstance(first, bool):
        raise TypeError("not a count")
    if isinstance(first, int):
        return sum(values)
    if isinstance(first, dict) and "samples" in first:  # a delay: samples only
        return {"samples": sum(v["samples"] for v in values)}
    if isinstance(first, dict):  # a tally
        keys = sorted({k for v in values for k in v})
        return {k: sum(v.get(k, 0) for v in values) for k in keys}
    raise TypeError(f"cannot add {type(first).__name__}")


def total(courts: Sequence[F], label: str) -> F:
    """The sum of several courts' figures of the same period (a department's totals),
    under ``label`` as jurisdiction. Delays keep the number of samples only."""
    if not courts:
        raise ValueError("no court to add up")
    kind = type(courts[0])
    if any(type(c) is not kind for c in courts):
        raise ValueError("figures of different kinds")
    if len({(c.starts_on, c.ends_on) for c in courts}) != 1:
        raise ValueError("figures of different periods")
    dumped = [c.model_dump() for c in courts]
    data: dict[str, Any] = {k: v for k, v in dumped[0].items() if k in PERIOD_FIELDS}
    data["jurisdiction"] = label
    for name in dumped[0]:
        if name not in PERIOD_FIELDS:
            data[name] = _add([d[name] for d in dumped])
    return kind.model_validate(data)
