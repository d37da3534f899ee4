"""Provisioning, pure: an attribution granted with its fiche navette gets the device the
stock gave it (the oldest of its court), or waits, visibly, for one (the parquet is
told once). Taking the device is an atomic update of the stock done by the handler;
when the assignment could then not be stored, the handler puts the device back
(compensation)."""

from __future__ import annotations

from datetime import datetime

from device.domain import Assignment, Event, out_of_stock, provision
from tgd_contracts.jurisdictions import JURISDICTIONS


def needs_device(a: Assignment) -> str | None:
    """The court whose stock gives her a device now, if she is ready for one."""
    return a.jurisdiction if a.ready_to_provision and a.jurisdiction else None


def provisioned(a: Assignment, device_id: str | None, now: datetime) -> tuple[Assignment, list[Event]]:
    """``device_id`` taken from the stock (None: the stock was empty)."""
    if device_id is None:
        return out_of_stock(a, now)
    return provision(a, device_id, JURISDICTIONS[a.jurisdiction or ""].department, now)
