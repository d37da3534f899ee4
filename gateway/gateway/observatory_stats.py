"""The observatory's statistics as the gateway serves them: one answer composed of each
service's anonymised aggregates (asked concurrently), and its flat table for CSV.

The services anonymise at the source (tgd_contracts.statistics); the gateway re-reads
each answer with the contract models, whose validators refuse a small count that is not
suppressed, so a faulty service cannot make the gateway publish one.
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from gateway.deps import ServiceCaller
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import ServiceName
from tgd_contracts.statistics import (
    SMALL_COUNT_THRESHOLD,
    AlertStatistics,
    Count,
    DeviceStatistics,
    EvaluationStatistics,
    ReferralStatistics,
    StatisticsQuery,
)

#: section of the answer -> (service asked, its model)
SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "referrals": (ServiceName.REFERRAL, ReferralStatistics),
    "evaluations": (ServiceName.EVALUATION, EvaluationStatistics),
    "devices": (ServiceName.DEVICE, DeviceStatistics),
    "alerts": (ServiceName.ALERT, AlertStatistics),
}
#: figures of different services that count nearly the same events: when the first is
#: suppressed, the others are too, or one would give the other away (a granted
#: attribution provisions a device; a withdrawal or an expiry returns it).
LINKED: tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...] = (
    (("evaluations", "attributions"), (("devices", "provisioned"),)),
    (("evaluations", "withdrawals"), (("devices", "returned"),)),
    (("evaluations", "expiries"), (("devices", "returned"),)),
)
CSV_COLUMNS = ("jurisdiction", "starts_on", "ends_on", "section", "measure", "category", "value", "suppressed")
PERIOD_FIELDS = {"jurisdiction", "starts_on", "ends_on", "as_of"}


class ObservatoryStatistics(BaseModel):
    """Anonymised aggregates of one jurisdiction and period (observatoire, seed 001 actions 11 and 16)."""

    jurisdiction: str
    starts_on: date
    ends_on: date
    small_count_threshold: int
    referrals: ReferralStatistics
    evaluations: EvaluationStatistics
    devices: DeviceStatistics
    alerts: AlertStatistics


async def gather_statistics(rpc: ServiceCaller, query: StatisticsQuery) -> ObservatoryStatistics:
    answers = await asyncio.gather(
        *(rpc.call(service, "statistics", query=query.to_wire()) for service, _ in SECTIONS.values())
    )
    sections: dict[str, Any] = {}
    for (name, (service, model)), answer in zip(SECTIONS.items(), answers, strict=True):
        try:
            sections[name] = model.consume(answer)  # type: ignore[attr-defined]
        except ValidationError:
            raise TgdError(f"The {service} service answered statistics that are not anonymised.",
                           code=ErrorCode.INTERNAL_ERROR) from None  # fmt: skip
    return link_suppression(
        ObservatoryStatistics(
            jurisdiction=query.jurisdiction,
            starts_on=query.starts_on,
            ends_on=query.ends_on,
            small_count_threshold=SMALL_COUNT_THRESHOLD,
            **sections,
        )
    )


def link_suppression(stats: ObservatoryStatistics) -> ObservatoryStatistics:
    """Suppress the figures :data:`LINKED` to a suppressed one (secondary suppression across services)."""
    data = stats.model_dump()
    hidden = Count(value=None, suppressed=True).model_dump()
    for (section, measure), linked in LINKED:
        if data[section][measure]["suppressed"]:
            for other_section, other in linked:
                data[other_section][other] = hidden
    return ObservatoryStatistics.model_validate(data)


def _cells(value: Any) -> tuple[str, str]:
    if isinstance(value, dict) and "suppressed" in value:
        return ("" if value["value"] is None else str(value["value"])), str(value["suppressed"]).lower()
    return ("" if value is None else str(value)), "false"


def csv_rows(stats: ObservatoryStatistics) -> list[tuple[str, ...]]:
    """One row per published figure: counts, breakdown cells, delay samples and percentiles."""
    period = (stats.jurisdiction, stats.starts_on.isoformat(), stats.ends_on.isoformat())
    rows: list[tuple[str, ...]] = []
    for section in SECTIONS:
        data = getattr(stats, section).model_dump(mode="json")
        for measure, value in data.items():
            if measure in PERIOD_FIELDS:
                continue
            if isinstance(value, dict) and "suppressed" in value:
                rows.append((*period, section, measure, "", *_cells(value)))
            elif isinstance(value, dict) and "samples" in value:  # a delay
                rows.append((*period, section, measure, "samples", *_cells(value["samples"])))
                rows.extend(
                    (*period, section, measure, key, *_cells(value[key])) for key in ("p50_s", "p90_s", "max_s")
                )
            elif isinstance(value, dict):  # a breakdown
                rows.extend((*period, section, measure, category, *_cells(cell)) for category, cell in value.items())
    return rows


def to_csv(stats: ObservatoryStatistics) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(stats))
    return out.getvalue()
