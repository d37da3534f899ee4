"""The statistics as the gateway serves them, composed from each service's answer with
the pure functions of :mod:`tgd_contracts.statistics` (the gateway holds no rule):

- the observatory's (``/v1/observatory/statistics``): each service anonymises at the
  source; the gateway re-reads every answer with the contract models, whose validators
  refuse a small count that is not suppressed, then applies the cross-service
  suppression (``link_suppression``);
- a court's exact figures with its department's totals (``/v1/court-statistics``): the
  ``exact_statistics`` of every court of the department, added up by ``court_statistics``.
"""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

from pydantic import BaseModel, ValidationError

from gateway.deps import ServiceCaller
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import ServiceName
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.statistics import (
    AlertFigures,
    AlertStatistics,
    CourtFigures,
    CourtStatistics,
    DeviceFigures,
    DeviceStatistics,
    EvaluationFigures,
    EvaluationStatistics,
    ObservatoryStatistics,
    ReferralFigures,
    ReferralStatistics,
    StatisticsQuery,
    court_statistics,
    link_suppression,
    observatory,
)

__all__ = ["ObservatoryStatistics", "gather_court_statistics", "gather_statistics", "link_suppression", "to_csv"]

#: section of the answer -> (service asked, its anonymised model, its exact model)
SECTIONS: dict[str, tuple[str, type[BaseModel], type[BaseModel]]] = {
    "referrals": (ServiceName.REFERRAL, ReferralStatistics, ReferralFigures),
    "evaluations": (ServiceName.EVALUATION, EvaluationStatistics, EvaluationFigures),
    "devices": (ServiceName.DEVICE, DeviceStatistics, DeviceFigures),
    "alerts": (ServiceName.ALERT, AlertStatistics, AlertFigures),
}
CSV_COLUMNS = ("jurisdiction", "starts_on", "ends_on", "section", "measure", "category", "value", "suppressed")
PERIOD_FIELDS = {"jurisdiction", "starts_on", "ends_on", "as_of"}


async def _sections(rpc: ServiceCaller, query: StatisticsQuery, method: str, exact: bool) -> dict[str, Any]:
    answers = await asyncio.gather(
        *(rpc.call(service, method, query=query.to_wire()) for service, _, _ in SECTIONS.values())
    )
    sections: dict[str, Any] = {}
    for (name, (service, published, figures)), answer in zip(SECTIONS.items(), answers, strict=True):
        try:
            sections[name] = (figures if exact else published).consume(answer)  # type: ignore[attr-defined]
        except ValidationError:
            what = "exact figures that do not add up" if exact else "statistics that are not anonymised"
            raise TgdError(f"The {service} service answered {what}.", code=ErrorCode.INTERNAL_ERROR) from None
    return sections


async def gather_statistics(rpc: ServiceCaller, query: StatisticsQuery) -> ObservatoryStatistics:
    """The observatory's answer: anonymised at the source, linked suppression applied."""
    s = await _sections(rpc, query, "statistics", exact=False)
    return observatory(s["referrals"], s["evaluations"], s["devices"], s["alerts"])


async def gather_court_statistics(rpc: ServiceCaller, query: StatisticsQuery) -> CourtStatistics:
    """A court's exact figures and its department's totals (every court of the department asked at once)."""
    department = JURISDICTIONS[query.jurisdiction].department
    courts = sorted(code for code, j in JURISDICTIONS.items() if j.department == department)
    answers = await asyncio.gather(*(_sections(rpc, query.for_court(c), "exact_statistics", True) for c in courts))
    return court_statistics(
        query.jurisdiction, department, {c: CourtFigures(**a) for c, a in zip(courts, answers, strict=True)}
    )


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
