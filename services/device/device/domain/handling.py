"""Her terminal during the measure, pure: its replacement when lost or broken
(remplacement) and the hand-over of each terminal (remise du téléphone, seed 002 §D).

Replacement: the same beneficiary, the same attribution; a terminal of the court's
stock becomes hers in the same write that records the replacement (``device_replaced``:
the alert service routes her alerts from the new terminal and flags a press on the old
one; the notify service tells the forces informed of the new terminal). The new terminal
is provisioned, not yet active: its own two-way test call at hand-over activates it
(``device_activated``), as for the first one. With no terminal in stock nothing changes
but a reminder to the parquet and the operator, once per terminal to replace.
"""

from __future__ import annotations

from datetime import datetime

from device.domain import Assignment, Event
from device.exceptions import InvalidRequest, InvalidState
from tgd_contracts.events import EventName
from tgd_contracts.handling import DeviceReplaced, DeviceReplacement, HandOver, HandOverView, ReplacementView
from tgd_contracts.stock import AssignmentStatus, DeviceOutOfStock
from tgd_servicekit.projection import project

IN_SERVICE = (AssignmentStatus.PROVISIONED, AssignmentStatus.ACTIVE)


def check_replaceable(a: Assignment) -> str:
    """The terminal to replace (hers now); a measure not in service has none."""
    if a.status not in IN_SERVICE or a.device_id is None or a.jurisdiction is None or a.fiche is None:
        raise InvalidState("Only the terminal of a measure in service is replaced. Nothing was changed.")
    return a.device_id


def replace(
    a: Assignment, new_device_id: str, request: DeviceReplacement, department: str, now: datetime
) -> tuple[Assignment, list[Event]]:
    """The new terminal is hers from now on; provisioned until its two-way test call."""
    previous = check_replaceable(a)
    if new_device_id == previous:
        raise InvalidRequest("A terminal cannot replace itself.")
    if a.fiche is None or a.jurisdiction is None:  # checked above; for the type checker
        raise InvalidState("This measure has no fiche navette.")
    record = ReplacementView(
        previous_device_id=previous,
        device_id=new_device_id,
        reason=request.reason,
        reported_by=request.reported_by,
        replaced_at=now,
    )
    event = project(  # what the record says, and where she lives
        DeviceReplaced,
        record,
        attribution_id=a.attribution_id,
        jurisdiction=a.jurisdiction,
        department=department,
        home_insee_code=a.fiche.beneficiary.home.insee_code,
    )
    changed = a.change(
        device_id=new_device_id,
        status=AssignmentStatus.PROVISIONED,
        replacements=(*a.replacements, record),
        replacement_out_of_stock_for=None,
    )
    return changed, [(EventName.DEVICE_REPLACED, event)]


def replacement_out_of_stock(a: Assignment, now: datetime) -> tuple[Assignment, list[Event]]:
    """No terminal to replace hers: the parquet and the operator are reminded, once per terminal."""
    previous = check_replaceable(a)
    if a.replacement_out_of_stock_for == previous:
        return a, []
    event = DeviceOutOfStock(
        attribution_id=a.attribution_id,
        jurisdiction=a.jurisdiction or "",
        detected_at=now,
        replacing_device_id=previous,
    )
    return a.change(replacement_out_of_stock_for=previous), [(EventName.DEVICE_OUT_OF_STOCK, event)]


def record_hand_over(a: Assignment, hand_over: HandOver, now: datetime) -> Assignment:
    """Remise du téléphone of her current terminal, once (the same record again changes
    nothing; a different one for the same terminal is refused)."""
    if a.status not in IN_SERVICE or a.device_id is None:
        raise InvalidState("Only a terminal provisioned for this measure is handed over. Nothing was changed.")
    if hand_over.handed_over_at > now:
        raise InvalidRequest("The hand-over cannot be recorded before it happened.")
    since = a.device_since
    if since is not None and hand_over.handed_over_at < since:
        raise InvalidRequest("The hand-over cannot precede the terminal's provisioning (or its replacement).")
    record = HandOverView(
        device_id=a.device_id,
        handed_over_at=hand_over.handed_over_at,
        place=hand_over.place,
        present=hand_over.present,
        recorded_at=now,
    )
    known = [h for h in a.hand_overs if h.device_id == a.device_id]
    if known:
        if known[0].model_copy(update={"recorded_at": now}) == record:
            return a
        raise InvalidState("The hand-over of this terminal is already recorded. Nothing was changed.")
    return a.change(hand_overs=(*a.hand_overs, record))
