"""The observatory's statistics (observatoire, seed 001 actions 11 and 16): anonymised
aggregates per jurisdiction and period, and the pure rules that anonymise them.

Each service answers ``statistics(query)`` with its own aggregates, already anonymised
with the functions below, so no small count ever leaves the service that owns the data.

Anonymisation rules (one place, tested without I/O):

- **no identity, no ids**: only counts and delays; categories are closed lists (enums);
- **small counts suppressed**: a count from 1 to ``SMALL_COUNT_THRESHOLD - 1`` is published
  as ``{"value": null, "suppressed": true}`` (shown "<5"); 0 and counts of at least the
  threshold are published as they are;
- **secondary suppression** in a breakdown whose total is published: when exactly one
  cell is suppressed it could be recovered by subtraction, so the smallest other non-zero
  cell is suppressed as well;
- **delays** are published as nearest-rank percentiles (p50, p90) and the maximum, in
  seconds, only when they rest on at least the threshold of samples; otherwise only the
  (suppressed) number of samples is given.

The period is a range of calendar days, both included, in Europe/Paris time
(:mod:`tgd_contracts.statistics.period`). Stock counts (phones on the shelf) are never
suppressed: they describe phones, not people (:class:`Stock`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import ClassVar, Literal, Self

from pydantic import Field, StrictBool, StrictInt, model_validator

from tgd_contracts.base import Contract

SMALL_COUNT_THRESHOLD = 5


class Count(Contract):
    """A published count: the value, or ``null`` with ``suppressed`` when it is small."""

    value: StrictInt | None = Field(ge=0, description="null when suppressed")
    suppressed: StrictBool

    @model_validator(mode="after")
    def _anonymised(self) -> Self:
        if self.suppressed != (self.value is None):
            raise ValueError("a count is either suppressed (value null) or published")
        if self.value is not None and 0 < self.value < SMALL_COUNT_THRESHOLD:
            raise ValueError(f"counts from 1 to {SMALL_COUNT_THRESHOLD - 1} are never published")
        return self

    def label(self) -> str:
        """How a table shows it: the number, or ``<5``."""
        return f"<{SMALL_COUNT_THRESHOLD}" if self.suppressed else str(self.value)


class Stock(Contract):
    """A stock count (phones on the shelf): always published, however small. It counts
    phones, not people, and the parquet and the operator must see a shortage of one."""

    value: StrictInt = Field(ge=0)
    suppressed: Literal[False] = False

    def label(self) -> str:
        return str(self.value)


class Delay(Contract):
    """The delay of one step, in seconds, over the events of the period."""

    samples: Count
    p50_s: float | None = None
    p90_s: float | None = None
    max_s: float | None = None

    @model_validator(mode="after")
    def _enough_samples(self) -> Self:
        published = (self.p50_s, self.p90_s, self.max_s)
        enough = self.samples.value is not None and self.samples.value >= SMALL_COUNT_THRESHOLD
        if not enough and any(v is not None for v in published):
            raise ValueError(f"delays rest on at least {SMALL_COUNT_THRESHOLD} samples")
        if enough and any(v is None for v in published):
            raise ValueError("p50_s, p90_s and max_s are published together")
        return self


Breakdown = dict[str, Count]


class Period(Contract):
    jurisdiction: str
    starts_on: date
    ends_on: date


class ReferralStatistics(Period):
    """Signalements received in the period."""

    referrals: Count
    urgent: Count
    by_referrer_kind: Breakdown


class EvaluationStatistics(Period):
    """Évaluations, décisions, renouvellements, retraits decided in the period."""

    evaluations_requested: Count = Field(description="Réquisitions of the association.")
    evaluations_completed: Count = Field(description="Reports filed (initial and before renewal).")
    decisions: Count = Field(description="Attribution decisions (granted or refused).")
    attributions: Count = Field(description="Decisions granting a device.")
    refusals: Count
    renewals: Count = Field(description="Periods renewed.")
    expiries: Count = Field(description="Attributions ended at the end of a period without renewal.")
    withdrawals: Count
    withdrawals_by_reason: Breakdown
    requisition_to_report: Delay
    report_to_decision: Delay


class DeviceStatistics(Period):
    """Terminals: the stock now, and what happened in the period."""

    # 2.0.0 (deliberate major): in_stock is a Stock, published however small (phones, not
    # people); a 1.x consumer refused a small published count, so this breaks it on purpose
    SCHEMA_VERSION: ClassVar[str] = "2.0.0"

    as_of: datetime = Field(description="When the stock counts were taken (the stock has no history).")
    in_stock: Stock = Field(description="Phones in stock: never suppressed (phones, not people).")
    assigned: Count = Field(description="Devices with a beneficiary (provisioned or active).")
    overdue_test_calls: Count = Field(description="Active devices whose fortnightly test call is overdue.")
    provisioned: Count = Field(description="Devices provisioned in the period.")
    returned: Count = Field(description="Devices returned in the period.")


class AlertStatistics(Period):
    """Alerts raised in the period, by nature (qualification) and outcome (intervention)."""

    alerts: Count
    by_nature: Breakdown
    by_outcome: Breakdown
    automatic_dispatches: Count = Field(description="Dispatched by the failsafe (nobody took the alert in time).")
    trigger_to_taken: Delay = Field(description="Recorded by the platform -> taken by an operator.")
    taken_to_dispatched: Delay = Field(description="Taken -> first message to the forces.")
    dispatched_to_acknowledged: Delay = Field(description="First message to the forces -> first acknowledgement.")


# -- the pure rules -------------------------------------------------------------------


def count(value: int) -> Count:
    """Primary suppression of one count."""
    if value < 0:
        raise ValueError("a count is never negative")
    if 0 < value < SMALL_COUNT_THRESHOLD:
        return Count(value=None, suppressed=True)
    return Count(value=value, suppressed=False)


def breakdown(values: Mapping[str, int], categories: Iterable[str]) -> Breakdown:
    """Every category (absent ones count 0), with primary and secondary suppression."""
    cells = {c: int(values.get(c, 0)) for c in categories}
    unknown = set(values) - set(cells)
    if unknown:
        raise ValueError(f"categories outside the closed list: {sorted(unknown)}")
    out = {c: count(v) for c, v in cells.items()}
    suppressed = [c for c, v in out.items() if v.suppressed]
    if len(suppressed) == 1 and not count(sum(cells.values())).suppressed:
        others = [c for c, v in cells.items() if v > 0 and not out[c].suppressed]
        if others:
            smallest = min(others, key=lambda c: (cells[c], c))
            out[smallest] = Count(value=None, suppressed=True)
    return out


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in (0, 100])."""
    if not sorted_values:
        raise ValueError("no values")
    if not 0 < q <= 100:
        raise ValueError("q is in (0, 100]")
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return float(sorted_values[rank - 1])


def delay(seconds: Iterable[float]) -> Delay:
    """Percentiles of a step's delays, published only on enough samples. Negative delays
    (clocks of two machines) count as 0."""
    values = sorted(max(0.0, float(s)) for s in seconds)
    samples = count(len(values))
    if len(values) < SMALL_COUNT_THRESHOLD:
        return Delay(samples=samples)
    return Delay(
        samples=samples,
        p50_s=round(percentile(values, 50), 3),
        p90_s=round(percentile(values, 90), 3),
        max_s=round(values[-1], 3),
    )


def seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    aware = [m if m.tzinfo else m.replace(tzinfo=UTC) for m in (start, end)]
    return (aware[1] - aware[0]).total_seconds()
