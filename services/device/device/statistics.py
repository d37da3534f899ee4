"""The device service's statistics, pure: the stock now (it has no history) and the
provisionings and returns dated in the period (Paris days); exact for the parquet and
the steering committee, anonymised for the observatory (the stock stays exact)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from device.domain import Assignment
from tgd_contracts.statistics import DeviceFigures, DeviceStatistics, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_contracts.stock import AssignmentStatus, DeviceState


def device_figures(
    query: StatisticsQuery, device_states: Iterable[DeviceState], assignments: Iterable[Assignment], now: datetime
) -> DeviceFigures:
    """``device_states``: the jurisdiction's terminals; ``assignments``: its attributions'
    device side. A test call is overdue when an active device's fortnightly call is due."""
    states = list(device_states)
    mine = [a for a in assignments if a.jurisdiction == query.jurisdiction]
    overdue = [
        a
        for a in mine
        if a.status == AssignmentStatus.ACTIVE and a.next_test_call_due is not None and a.next_test_call_due <= now
    ]
    return DeviceFigures(
        jurisdiction=query.jurisdiction,
        starts_on=query.starts_on,
        ends_on=query.ends_on,
        as_of=now,
        in_stock=sum(1 for s in states if s == DeviceState.IN_STOCK),
        assigned=sum(1 for s in states if s in (DeviceState.ASSIGNED, DeviceState.ACTIVE)),
        overdue_test_calls=len(overdue),
        provisioned=sum(1 for a in mine if query.covers(a.provisioned_at)),
        returned=sum(1 for a in mine if query.covers(a.returned_at)),
    )


def device_statistics(
    query: StatisticsQuery, device_states: Iterable[DeviceState], assignments: Iterable[Assignment], now: datetime
) -> DeviceStatistics:
    """The observatory's counts: anonymised, except the stock."""
    return anonymised.devices(device_figures(query, device_states, assignments, now))
