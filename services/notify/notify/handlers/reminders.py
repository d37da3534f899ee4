"""Reminders to the partners (rules in :mod:`notify.domain.reminders`), mixed into
:class:`notify.service.NotifyService`: one handler per deadline event, the reads and
the acknowledgement the partners' screens use (their outbox is relayed with the
service's, :meth:`notify.service.NotifyService.outboxes`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from notify.domain import reminders
from notify.exceptions import EXPECTED, InvalidRequest, ReminderNotFound, UnknownJurisdiction
from notify.handlers import Handlers
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.partners import Audience
from tgd_contracts.reminders import ReminderAcknowledgement, ReminderPage
from tgd_servicekit.consumers import rpc
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.outbox import publish_stored
from tgd_servicekit.requests import check_id, parse

log = logging.getLogger(__name__)
E, SRC = EventName, ServiceName


def reminds_on(source: ServiceName, event_name: EventName) -> Callable[[Any, ReceivedEvent], None]:
    """The entrypoint of one deadline event: the reminders it makes stored and sent
    (nameko names its queue after the attribute it is assigned to)."""

    @envelope_handler(source, event_name)
    def on_event(self: ReminderEntrypoints, event: ReceivedEvent) -> None:
        self._remind(event)

    return on_event


class ReminderEntrypoints(Handlers):
    on_test_call_due = reminds_on(SRC.DEVICE, E.TEST_CALL_DUE)
    on_test_call_overdue = reminds_on(SRC.DEVICE, E.TEST_CALL_OVERDUE)
    on_device_out_of_stock = reminds_on(SRC.DEVICE, E.DEVICE_OUT_OF_STOCK)
    on_requisition_overdue = reminds_on(SRC.EVALUATION, E.REQUISITION_OVERDUE)
    on_attribution_expiring = reminds_on(SRC.EVALUATION, E.ATTRIBUTION_EXPIRING)
    on_evaluation_completed = reminds_on(SRC.EVALUATION, E.EVALUATION_COMPLETED)  # the renewal is to decide

    @rpc(expected_exceptions=EXPECTED)
    def list_reminders(
        self, jurisdiction: str, audiences: list[str] | None = None, pending_only: bool = True, unit: str | None = None
    ) -> dict[str, Any]:
        """The reminders of a court for some audiences (all when None), newest first; with
        ``unit`` (an association's code), not those addressed to another association."""
        if not isinstance(jurisdiction, str) or jurisdiction not in JURISDICTIONS:
            raise UnknownJurisdiction()
        known = {a.value for a in Audience}
        wanted = list(known) if audiences is None else audiences
        if not isinstance(wanted, list) or not set(wanted) <= known or not isinstance(pending_only, bool):
            raise InvalidRequest("audiences: a list of partner audiences; pending_only: true or false.")
        items = [
            r
            for r in self.reminders.of_jurisdiction(jurisdiction, wanted, pending_only)
            if reminders.addressed_to(r, unit)
        ]
        return ReminderPage(jurisdiction=jurisdiction, items=[reminders.view(r) for r in items]).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_reminder(self, reminder_id: str) -> dict[str, Any]:
        """One reminder: its jurisdiction and audience tell the gateway who may acknowledge it."""
        return reminders.view(self._reminder(reminder_id)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def acknowledge_reminder(
        self, reminder_id: str, acknowledgement: dict[str, Any], unit: str | None = None
    ) -> dict[str, Any]:
        """Rappel pris en compte (once: a repeat changes nothing); another association's is
        not found."""
        ack = parse(ReminderAcknowledgement, acknowledgement)
        found = self._reminder(reminder_id)
        if not reminders.addressed_to(found, unit):
            raise ReminderNotFound()
        try:
            changed = reminders.acknowledge(found, ack.acknowledged_by, self.now(), ack.beneficiary_informed_on)
        except ValueError as exc:
            raise InvalidRequest(str(exc)) from None
        if changed != found:
            self.reminders.save_acknowledgement(changed)
        return reminders.view(self._reminder(reminder_id)).to_wire()

    def _reminder(self, reminder_id: str) -> reminders.Reminder:
        rid = check_id(reminder_id)
        found = self.reminders.load(rid)
        if found is None:
            raise ReminderNotFound()
        return found

    def _remind(self, event: ReceivedEvent) -> None:
        envelope = event.envelope
        self._remind_all(
            reminders.reminders_for(envelope.event_name, event.data, envelope.source, envelope.id, self.now())
        )

    def _remind_all(self, made: list[reminders.Reminder]) -> None:
        """Store each reminder with its message, then publish (a known one is sent already)."""
        for r in made:
            name, body = reminders.message(r)
            out = self._build(name, r.reminder_id, body)
            if not self.reminders.create(r, out):
                continue  # replayed: sent already
            log.info("reminder %s (%s) for the %s of %s", r.reminder_id, r.kind, r.audience, r.jurisdiction)
            publish_stored(self.reminders, r.reminder_id, [out], self._publish)  # under this instance's lease
