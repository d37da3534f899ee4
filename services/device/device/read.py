"""What the device service shows, built from what its repository read: a measure's
evidence, her dossier, and the statistics, pure: the stock now (it has no history) and the
provisionings and returns dated in the period (Paris days); exact for the parquet and
the steering committee, anonymised for the observatory (the stock stays exact)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from device.domain import Assignment
from tgd_contracts.dossier import Dossier
from tgd_contracts.evidence import EvidencePart, SubjectKind, service_part
from tgd_contracts.statistics import DeviceFigures, DeviceStatistics, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_contracts.stock import AssignmentStatus, AssignmentView, DeviceState
from tgd_servicekit.projection import project


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


def evidence(store: Any, attribution_id: str, now: datetime) -> EvidencePart | None:
    """The device side of a measure's evidence: the assignment (fiche navette, test
    calls, hand-overs, replacements, return, wipe), her terminals (the current one and
    those replaced: their alerts belong to the measure too), and the events still retained."""
    found = store.evidence_of(attribution_id)
    if found is None:
        return None
    state, events = found
    device_id = state.get("device_id")
    device = store.get_device(device_id) if device_id else None
    earlier = [r["previous_device_id"] for r in state.get("replacements") or []]  # her lost or broken ones
    replaced = [d.to_wire() for d in map(store.get_device, earlier) if d is not None]
    records = {"assignment": state, "device": device.to_wire() if device else None, "replaced_devices": replaced}
    return service_part(
        "device",
        SubjectKind.MEASURE,
        attribution_id,
        state.get("jurisdiction"),
        records,
        events,
        now,
        related={"device_ids": [*earlier, device_id]} if device_id else {},
    )


def dossier(a: Assignment | None) -> Dossier | None:
    """Her dossier for the alert service, from the assignment of the device she holds."""
    if a is None or a.fiche is None or a.device_id is None or a.jurisdiction is None:
        return None
    return Dossier(
        attribution_id=a.attribution_id,
        device_id=a.device_id,
        jurisdiction=a.jurisdiction,
        beneficiary=a.fiche.beneficiary,
        author=a.fiche.author,
    )


def view(a: Assignment) -> AssignmentView:
    return project(AssignmentView, a, hand_overs=list(a.hand_overs), replacements=list(a.replacements))
