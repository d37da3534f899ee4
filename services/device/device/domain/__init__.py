"""The device side of an attribution (seed 002 §D, arrêté du 22 avril 2015), pure.

An :class:`Assignment` per attribution: it needs the granted decision (event) and the
fiche navette (from the parquet), in either order; then a device of the
jurisdiction's stock is assigned (or the attribution waits, visibly, out of stock);
the two-way test call at hand-over activates it; the beneficiary then owes a test
call every 15 days (a press of the alert key qualified as a test call counts); on
withdrawal or expiry the device is returned, to be collected and reset before it
goes back to stock, and the operator's personal data is wiped at most 3 days later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from device.exceptions import DeviceInactive, InvalidState
from tgd_contracts.base import Contract
from tgd_contracts.device import DeviceActivated, DeviceProvisioned, DeviceReturned
from tgd_contracts.events import EventName
from tgd_contracts.handling import HandOverView, ReplacementView
from tgd_contracts.stock import (
    AssignmentStatus,
    DeviceOutOfStock,
    FicheNavette,
    TestCall,
    TestCallDirection,
    TestCallDue,
    TestCallOverdue,
)
from tgd_servicekit.durations import Period

S = AssignmentStatus
MAX_WIPE_DELAY = timedelta(days=3)
WAITING = (S.AWAITING_DOSSIER, S.AWAITING_DECISION, S.OUT_OF_STOCK)
Event = tuple[EventName, Contract]


@dataclass(frozen=True)
class Policy:
    test_call_interval: Period  # 15 days
    test_call_reminder_lead: Period
    wipe_delay: Period  # at most 3 days after return

    def __post_init__(self) -> None:
        start = datetime(2026, 1, 1)
        if self.wipe_delay.after(start) - start > MAX_WIPE_DELAY:
            raise ValueError("the operator's personal data must be wiped at most 3 days after return")


class RecordedCall(BaseModel):
    model_config = ConfigDict(frozen=True)
    direction: TestCallDirection
    succeeded: bool
    at: datetime
    reference: str | None = None  # the alert qualified as a test call, when made on the alert key


class Assignment(BaseModel):
    model_config = ConfigDict(frozen=True)
    attribution_id: str
    jurisdiction: str | None = None
    granted: bool = False
    fiche: FicheNavette | None = None
    status: AssignmentStatus = S.AWAITING_DECISION
    device_id: str | None = None
    provisioned_at: datetime | None = None
    out_of_stock_alerted: bool = False
    activated_at: datetime | None = None
    test_calls: tuple[RecordedCall, ...] = ()
    next_test_call_due: datetime | None = None
    reminded_for: datetime | None = None
    overdue_for: datetime | None = None
    returned_at: datetime | None = None
    wipe_due_at: datetime | None = None
    wiped: bool = False
    replacements: tuple[ReplacementView, ...] = ()  # her terminals lost or broken, replaced (device.domain.handling)
    hand_overs: tuple[HandOverView, ...] = ()  # remises du téléphone, one per terminal
    replacement_out_of_stock_for: str | None = None  # the terminal whose replacement waited: reminded once

    def change(self, **values: object) -> Assignment:
        return self.model_copy(update=values)

    @property
    def device_since(self) -> datetime | None:
        """When her current terminal became hers (provisioning, or its replacement)."""
        return self.replacements[-1].replaced_at if self.replacements else self.provisioned_at

    @property
    def ready_to_provision(self) -> bool:
        return self.granted and self.fiche is not None and self.status in WAITING


def _waiting_status(a: Assignment) -> AssignmentStatus:
    if not a.granted:
        return S.AWAITING_DECISION
    if a.fiche is None:
        return S.AWAITING_DOSSIER
    return S.OUT_OF_STOCK  # ready: the service assigns a device at once, or it stays out of stock


def on_decision(a: Assignment, jurisdiction: str, granted: bool) -> Assignment:
    """``attribution_decided``: only a granted attribution gets a device. Replays change nothing."""
    if a.granted or a.status not in WAITING:
        return a
    if not granted:  # refused: a fiche navette sent in advance is erased at once
        return wipe(a.change(jurisdiction=jurisdiction, status=S.CANCELLED))
    changed = a.change(jurisdiction=jurisdiction, granted=True)
    return changed.change(status=_waiting_status(changed))


def record_fiche(a: Assignment, fiche: FicheNavette) -> Assignment:
    """The fiche navette; it may be corrected until the device is returned."""
    if a.status in (S.RETURNED, S.CANCELLED):
        raise InvalidState("This attribution was refused or has ended; its fiche navette is closed.")
    moved = a.fiche is not None and a.fiche.beneficiary.home.insee_code != fiche.beneficiary.home.insee_code
    if moved and a.status in (S.PROVISIONED, S.ACTIVE):
        # the forces informed are those of the old home: a move re-informs them (device.domain.moves)
        raise InvalidState("After provisioning, a new home is a move: POST /v1/attributions/{id}/home.")
    changed = a.change(fiche=fiche)
    return changed.change(status=_waiting_status(changed)) if a.status in WAITING else changed


def out_of_stock(a: Assignment, now: datetime) -> tuple[Assignment, list[Event]]:
    """No device in the jurisdiction's stock: a visible state, the parquet alerted once."""
    if a.out_of_stock_alerted:
        return a.change(status=S.OUT_OF_STOCK), []
    event = DeviceOutOfStock(attribution_id=a.attribution_id, jurisdiction=a.jurisdiction or "", detected_at=now)
    changed = a.change(status=S.OUT_OF_STOCK, out_of_stock_alerted=True)
    return changed, [(EventName.DEVICE_OUT_OF_STOCK, event)]


def provision(a: Assignment, device_id: str, department: str, now: datetime) -> tuple[Assignment, list[Event]]:
    if not a.ready_to_provision or a.fiche is None or a.jurisdiction is None:
        raise DeviceInactive("This attribution cannot be provisioned now.")
    event = DeviceProvisioned(
        device_id=device_id,
        attribution_id=a.attribution_id,
        jurisdiction=a.jurisdiction,
        department=department,
        home_insee_code=a.fiche.beneficiary.home.insee_code,
        provisioned_at=now,
    )
    changed = a.change(status=S.PROVISIONED, device_id=device_id, provisioned_at=now)
    return changed, [(EventName.DEVICE_PROVISIONED, event)]


def record_test_call(a: Assignment, call: TestCall, now: datetime, policy: Policy) -> tuple[Assignment, list[Event]]:
    """Appel test: both directions at hand-over activate; then each success restarts the 15 days."""
    if a.status not in (S.PROVISIONED, S.ACTIVE) or a.device_id is None:
        raise DeviceInactive()
    calls = (*a.test_calls, RecordedCall(direction=call.direction, succeeded=call.succeeded, at=now))
    changed = a.change(test_calls=calls)
    if not call.succeeded:
        return changed, []
    if a.status == S.ACTIVE:
        return changed.change(next_test_call_due=policy.test_call_interval.after(now)), []
    since = a.device_since  # a replaced terminal is activated by its own two-way call
    directions = {c.direction for c in calls if c.succeeded and (since is None or c.at >= since)}
    if directions != set(TestCallDirection):
        return changed, []
    event = DeviceActivated(device_id=a.device_id, attribution_id=a.attribution_id, activated_at=now)
    changed = changed.change(status=S.ACTIVE, activated_at=now, next_test_call_due=policy.test_call_interval.after(now))
    return changed, [(EventName.DEVICE_ACTIVATED, event)]


def record_alert_test_call(
    a: Assignment, *, alert_id: str, device_id: str, called_at: datetime, policy: Policy
) -> tuple[Assignment, list[Event]]:
    """A press of the alert key that the platform's operator qualified as a test call
    (appel test, ``alert_test_call``): it counts as her call to the platform. Once per
    alert (the event may come twice); ignored when the device no longer serves this
    attribution; a late event never moves the next deadline back."""
    if a.status not in (S.PROVISIONED, S.ACTIVE) or a.device_id != device_id:
        return a, []
    if any(c.reference == alert_id for c in a.test_calls):
        return a, []
    call = TestCall(direction=TestCallDirection.BENEFICIARY_TO_OPERATOR, succeeded=True)
    changed, events = record_test_call(a, call, called_at, policy)
    *earlier, last = changed.test_calls
    changed = changed.change(test_calls=(*earlier, last.model_copy(update={"reference": alert_id})))
    if a.next_test_call_due is not None and changed.next_test_call_due is not None:
        changed = changed.change(next_test_call_due=max(a.next_test_call_due, changed.next_test_call_due))
    return changed, events


def end(a: Assignment, now: datetime, policy: Policy) -> tuple[Assignment, list[Event]]:
    """Withdrawal or expiry: return the device, schedule the wipe. Replays change nothing."""
    if a.status in (S.RETURNED, S.CANCELLED):
        return a, []
    if a.status in WAITING or a.device_id is None:
        return a.change(status=S.CANCELLED, wipe_due_at=now), []
    event = DeviceReturned(device_id=a.device_id, attribution_id=a.attribution_id, returned_at=now)
    changed = a.change(status=S.RETURNED, returned_at=now, wipe_due_at=policy.wipe_delay.after(now))
    return changed, [(EventName.DEVICE_RETURNED, event)]


def tick(a: Assignment, now: datetime, policy: Policy) -> tuple[Assignment, list[Event]]:
    """Test-call reminder and overdue notice; the wipe once it is due."""
    if a.status in (S.RETURNED, S.CANCELLED):
        if not a.wiped and a.wipe_due_at is not None and now >= a.wipe_due_at:
            return wipe(a), []
        return a, []
    due = a.next_test_call_due
    if a.status != S.ACTIVE or due is None or a.device_id is None or a.jurisdiction is None:
        return a, []
    ids = {"device_id": a.device_id, "attribution_id": a.attribution_id, "jurisdiction": a.jurisdiction}
    if now >= due and a.overdue_for != due:
        return a.change(overdue_for=due), [(EventName.TEST_CALL_OVERDUE, TestCallOverdue(**ids, due_at=due))]
    if now < due and now >= policy.test_call_reminder_lead.before(due) and a.reminded_for != due:
        return a.change(reminded_for=due), [(EventName.TEST_CALL_DUE, TestCallDue(**ids, due_at=due))]
    return a, []


def next_deadline(a: Assignment, policy: Policy) -> datetime | None:
    """When :func:`tick` has something to do next (stored, so the timer queries only what is due)."""
    if a.status in (S.RETURNED, S.CANCELLED):
        return None if a.wiped else a.wipe_due_at
    due = a.next_test_call_due
    if a.status != S.ACTIVE or due is None or a.overdue_for == due:
        return None
    return due if a.reminded_for == due else policy.test_call_reminder_lead.before(due)


def wipe(a: Assignment) -> Assignment:
    """Effacement: the fiche navette and the test-call log go; ids and dates stay."""
    return a.change(fiche=None, test_calls=(), wiped=True)
