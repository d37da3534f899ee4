"""The alert service's device read model (device and notify events): where each device
is attributed, its competent units, whether it is active, and a copy of the dossier,
ready for an alert (entrypoints mixed into :class:`alert.service.AlertService`).

A device belongs to one attribution at a time (:mod:`alert.domain.attributions`): the
facts of a new attribution replace the previous one's entirely, late events of an ended
attribution are ignored (a late activation among them), and an event that cannot be
placed yet is retried.
"""

from __future__ import annotations

import logging
from typing import Any

from alert.domain import attributions, forget_positions_without_consent, retention, routing
from alert.domain.attributions import Step
from alert.exceptions import AttributionNotYetPlaced
from alert.handlers import Handlers
from tgd_contracts.events import EventName, ServiceName
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler

log = logging.getLogger(__name__)


class DeviceEntrypoints(Handlers):
    """The device and notify events that keep the read model."""

    def _apply(self, device_id: str, attribution_id: str, **facts: Any) -> Step:
        step = self.alerts.apply_device_event(device_id, attribution_id, **facts)
        if step == Step.WAIT:  # requeued: retried once the previous attribution is seen to end
            raise AttributionNotYetPlaced(f"device {device_id}: attribution {attribution_id} not placed yet")
        if step == Step.IGNORE:
            log.info("device %s: late event of attribution %s ignored", device_id, attribution_id)
        return step

    def _fetch_dossier(self, device_id: str, attribution_id: str) -> dict[str, Any] | None:
        return attributions.dossier_for(self.dossiers.fetch(device_id), attribution_id)

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_PROVISIONED)
    def on_device_provisioned(self, event: ReceivedEvent) -> None:
        """Where the device is attributed; it is active only once activated. A device given
        to a new attribution keeps nothing of the previous one (routing, dossier, activation)."""
        d = event.data
        step = self._apply(
            d.device_id,
            d.attribution_id,
            provisioned_at=d.provisioned_at,
            jurisdiction=d.jurisdiction,
            department=d.department.lower(),
        )
        if step != Step.IGNORE:
            self.alerts.schedule_device_wipe(d.device_id, None)  # attributed again: nothing to wipe

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_ACTIVATED)
    def on_device_activated(self, event: ReceivedEvent) -> None:
        """Active from the successful test call; the dossier is fetched now, ready for an alert."""
        d = event.data
        if self._apply(d.device_id, d.attribution_id, active=True, activated_at=d.activated_at) == Step.IGNORE:
            return  # a late activation of an attribution ended since
        dossier = self._fetch_dossier(d.device_id, d.attribution_id)
        if dossier is not None:
            self._apply(d.device_id, d.attribution_id, dossier=dossier)

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_RETURNED)
    def on_device_returned(self, event: ReceivedEvent) -> None:
        """Withdrawn or expired: no longer active, and its dossier is no longer kept here;
        its alerts' records start their retention, its other facts go within 3 days
        (unless the device was already given to another attribution)."""
        d = event.data
        current = self.alerts.end_attribution(
            d.device_id, d.attribution_id, active=False, dossier=None, returned_at=d.returned_at
        )
        self.ops.device_returned(d.device_id, d.attribution_id, d.returned_at, wipe=current)

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_REPLACED)
    def on_device_replaced(self, event: ReceivedEvent) -> None:
        """Her lost or broken terminal replaced (same attribution): her routing (the units
        informed, her home's date, her dossier) moves to the new terminal, provisioned
        until its test call; the old one is no longer hers: a press on it is recorded and
        flagged ``replaced_device``, never dropped, and its facts go within 3 days. Her
        alerts' records keep running: the measure goes on."""
        d = event.data
        old = self.alerts.holder(d.previous_device_id)
        carried: dict[str, Any] = {}
        if old.attribution_id == d.attribution_id and d.attribution_id not in old.ended:
            facts = self.alerts.device(d.previous_device_id)
            carried = {k: getattr(facts, k) for k in ("competent", "other_force", "home_since", "dossier")}
        placed = {"jurisdiction": d.jurisdiction, "department": d.department.lower(), **carried}
        if self._apply(d.device_id, d.attribution_id, provisioned_at=d.replaced_at, **placed) != Step.IGNORE:
            self.alerts.schedule_device_wipe(d.device_id, None)
        gone = {"active": False, "dossier": None, "replaced_at": d.replaced_at}
        if self.alerts.end_attribution(d.previous_device_id, d.attribution_id, **gone):
            self.alerts.schedule_device_wipe(d.previous_device_id, d.replaced_at + retention.DEVICE_WIPE_DELAY)
        dossier = self._fetch_dossier(d.device_id, d.attribution_id)
        if dossier is not None:
            self._apply(d.device_id, d.attribution_id, dossier=dossier)

    def _home_known_since(self, device_id: str, attribution_id: str) -> Any:
        """Her home's date (provisioning or last move) when the facts are this attribution's."""
        if self.alerts.holder(device_id).attribution_id != attribution_id:
            return None  # another attribution's (or none): nothing of it counts for this one
        return self.alerts.device(device_id).home_since

    @envelope_handler(ServiceName.NOTIFY, EventName.FORCES_INFORMED)
    def on_forces_informed(self, event: ReceivedEvent) -> None:
        d = event.data
        if attributions.informed_for_left_home(self._home_known_since(d.device_id, d.attribution_id), d.home_since):
            return
        facts = {k: v for k, v in routing.forces_facts(d).items() if k != "attribution_id"}
        self._apply(d.device_id, d.attribution_id, **facts, home_since=d.home_since)

    @envelope_handler(ServiceName.DEVICE, EventName.BENEFICIARY_MOVED)
    def on_beneficiary_moved(self, event: ReceivedEvent) -> None:
        """She moved: the units of her old home are no longer hers; until those of the new
        home acknowledge (``forces_informed``), a dispatch goes to the command centre of
        her department, never to the unit she left. The dossier is refreshed."""
        d = event.data
        if attributions.move_already_known(self._home_known_since(d.device_id, d.attribution_id), d.moved_at):
            return
        moved = {"department": d.department.lower(), "competent": None, "other_force": None, "home_since": d.moved_at}
        if self._apply(d.device_id, d.attribution_id, **moved) == Step.IGNORE:
            return
        dossier = self._fetch_dossier(d.device_id, d.attribution_id)
        if dossier is not None:
            self._apply(d.device_id, d.attribution_id, dossier=dossier)

    @envelope_handler(ServiceName.DEVICE, EventName.DOSSIER_CHANGED)
    def on_dossier_changed(self, event: ReceivedEvent) -> None:
        """The fiche navette was corrected: the copy kept for an alert is fetched again,
        and so is the one of her open alert, if any (her consent may have changed: the
        positions kept without it are forgotten). An alert raised meanwhile uses the copy
        held; there is no fetch on the alert path."""
        d = event.data
        if self.alerts.holder(d.device_id).attribution_id != d.attribution_id:
            return  # another attribution's device now (or not known): nothing of hers is kept here
        dossier = self._fetch_dossier(d.device_id, d.attribution_id)
        if dossier is None or self._apply(d.device_id, d.attribution_id, dossier=dossier) == Step.IGNORE:
            return
        found = self.alerts.open_alert_for(d.device_id)
        if found is not None and found[0].device.attribution_id == d.attribution_id:
            self._attach_dossier(found[0].alert_id, dossier)

    def refresh_missing_dossier(self, device_id: str, attribution_id: str, alert_id: str) -> None:
        """An alert was raised while no copy of her dossier was held (the device service
        did not answer at activation): fetched now, once, beside the alert path."""
        dossier = self._fetch_dossier(device_id, attribution_id)
        if dossier is None:
            return
        if self.alerts.apply_device_event(device_id, attribution_id, dossier=dossier) != Step.IGNORE:
            self._attach_dossier(alert_id, dossier)

    def _attach_dossier(self, alert_id: str, dossier: dict[str, Any]) -> None:
        def attach(a: Any, now: Any) -> list[routing.Outgoing]:
            a.device.dossier = dossier
            forget_positions_without_consent(a, now)  # her consent may have changed
            return []

        self.ops.mutate(alert_id, "alert.dossier", attach)
