"""An assignment's life (rules in :mod:`device.domain`), mixed into
:class:`device.service.DeviceService`: the attribution's events, the fiche navette, test
calls, and the deadlines (test-call reminders, overdue notices, wipes after return)."""

from __future__ import annotations

import logging
from typing import Any

from device import domain, read
from device.domain import moves
from device.exceptions import EXPECTED, DeviceInactive, DeviceNotFound, InvalidState
from device.handlers import Handlers
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.stock import FicheNavette, TestCall
from tgd_servicekit.consumers import rpc
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.requests import check_id, parse
from tgd_servicekit.timers import each_due, every

log = logging.getLogger(__name__)


class AssignmentEntrypoints(Handlers):
    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_DECIDED)
    def on_attribution_decided(self, event: ReceivedEvent) -> None:
        data = event.data
        self._change(data.attribution_id, lambda a: (domain.on_decision(a, data.jurisdiction, data.granted), []))

    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_WITHDRAWN)
    def on_attribution_withdrawn(self, event: ReceivedEvent) -> None:
        self._change(event.data.attribution_id, lambda a: domain.end(a, self.now(), self.policy))

    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_EXPIRED)
    def on_attribution_expired(self, event: ReceivedEvent) -> None:
        self._change(event.data.attribution_id, lambda a: domain.end(a, self.now(), self.policy))

    @envelope_handler(ServiceName.ALERT, EventName.ALERT_TEST_CALL)
    def on_alert_test_call(self, event: ReceivedEvent) -> None:
        """A press of the alert key qualified as a test call: it counts toward the 15 days
        (idempotent: recorded once per alert)."""
        d = event.data
        if self.store.load(d.attribution_id) is None:
            log.warning("test call of alert %s for an unknown attribution: ignored", d.alert_id)
            return
        self._change(
            d.attribution_id,
            lambda a: domain.record_alert_test_call(
                a, alert_id=d.alert_id, device_id=d.device_id, called_at=d.called_at, policy=self.policy
            ),
        )

    @rpc(expected_exceptions=EXPECTED)
    def record_fiche(self, attribution_id: str, fiche: dict[str, Any]) -> dict[str, Any]:
        """Fiche navette from the parquet; provisions a device once the attribution is granted."""
        parsed = parse(FicheNavette, fiche)
        return read.view(self._change(attribution_id, lambda a: moves.fiche_recorded(a, parsed, self.now()))).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def record_test_call(self, device_id: str, call: dict[str, Any]) -> dict[str, Any]:
        """Appel test; the two-way call at hand-over activates the device."""
        parsed = parse(TestCall, call)
        assignment = self.store.load_by_device(check_id(device_id))
        if assignment is None:
            if self.store.get_device(device_id) is None:
                raise DeviceNotFound()
            raise DeviceInactive()
        changed = self._change(
            assignment.attribution_id, lambda a: domain.record_test_call(a, parsed, self.now(), self.policy)
        )
        return read.view(changed).to_wire()

    @every("DEADLINE_CHECK_INTERVAL", 60)
    def check_deadlines(self) -> None:
        """Test-call reminders and overdue notices, and data wipes after return."""
        now = self.now()
        done = each_due(self.store, now, self._change, lambda a: domain.tick(a, now, self.policy), InvalidState)
        wiped = sum(1 for a in done.handled if a.wiped and a.wipe_due_at is not None and a.wipe_due_at <= now)
        if done.due:  # counts only, never what was wiped (arrêté du 22 avril 2015: 3 days after return)
            log.info("retention run: deadlines_due=%d fiches_wiped=%d", done.due, wiped)
