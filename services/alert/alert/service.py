"""The alert service (régulation de l'appel): nameko entrypoints only, one call each.
Rules live in :mod:`alert.domain`, use cases in :mod:`alert.handlers`, what is only
read in :mod:`alert.read`, storage in :mod:`alert.repository`, wire details in
:mod:`alert.dependencies`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alert.dependencies import DossierSource, PartnerPublisher, Settings, Spawner, alert_database
from alert.dependencies.partner_replies import partner_reply_handler
from alert.exceptions import (
    AlertNotFound,
    AlertStateConflict,
    InvalidRequest,
    NoOpenAlert,
    RetentionOver,
    UnknownQuestion,
    parse,
)
from alert.handlers import AlertHandlers, report_dead_letter
from alert.handlers.commands import migrate_records, rotate_field_keys
from tgd_contracts.alert import AlertTrigger, PositionUpdate
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.partners import MessageKind
from tgd_servicekit.alarms import DeadLetterAlarm, dead_letter_alarm
from tgd_servicekit.consumers import rpc
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.timers import Clock, OutboxRelay, every

EXPECTED = (InvalidRequest, AlertNotFound, AlertStateConflict, UnknownQuestion, NoOpenAlert)
RETENTION_EXPECTED = (InvalidRequest, AlertNotFound, RetentionOver)


class AlertService(OutboxRelay):
    name = "alert"

    alerts = alert_database()
    events = EnvelopeDispatcher()
    partners = PartnerPublisher()
    dossiers = DossierSource()
    settings = Settings()
    now = Clock()
    spawn = Spawner()

    @property
    def handlers(self) -> AlertHandlers:
        return AlertHandlers(self)

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        """For the relay timer (:class:`tgd_servicekit.timers.OutboxRelay`)."""
        return [self.handlers.ops.outbox()]

    # -- the device platform ------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def trigger_alert(self, trigger: dict[str, Any]) -> dict[str, Any]:
        """A press of the alert key (déclenchement); returns once the alert is stored."""
        return self.handlers.ops.trigger(parse(AlertTrigger, trigger)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def update_position(self, update: dict[str, Any]) -> dict[str, Any]:
        return {"alert_id": self.handlers.ops.add_position(parse(PositionUpdate, update))}

    # -- the operator ---------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def take_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.commands.take(alert_id, request)

    @rpc(expected_exceptions=EXPECTED)
    def answer_question(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.commands.answer(alert_id, request)

    @rpc(expected_exceptions=EXPECTED)
    def qualify_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.commands.qualify(alert_id, request)

    @rpc(expected_exceptions=EXPECTED)
    def close_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.commands.close(alert_id, request)

    @rpc(expected_exceptions=EXPECTED)
    def get_alert(self, alert_id: str) -> dict[str, Any]:
        return self.handlers.queries.alert(alert_id)

    @rpc(expected_exceptions=EXPECTED)
    def alert_evidence(self, alert_id: str) -> dict[str, Any]:
        return self.handlers.queries.evidence(alert_id)

    @rpc(expected_exceptions=EXPECTED)
    def alerts_of_device(self, device_id: str, attribution_id: str | None = None) -> dict[str, Any]:
        """The ids of the alerts raised from a device (during one attribution when named),
        for a measure's evidence and a subject access."""
        return self.handlers.queries.alerts_of_device(device_id, attribution_id)

    @rpc(expected_exceptions=EXPECTED)
    def list_open_alerts(self) -> dict[str, Any]:
        return self.handlers.queries.open_alerts()

    @rpc(expected_exceptions=EXPECTED)
    def device_routing(self, device_id: str) -> dict[str, Any]:
        """Is this device ready for an alert: active, competent unit known, dossier held."""
        return self.handlers.queries.device_routing(device_id)

    @rpc(expected_exceptions=EXPECTED)
    def qualification_script(self) -> dict[str, Any]:
        return self.handlers.queries.script()

    # -- partners (through the gateway; over AMQP below) ----------------------------
    @rpc(expected_exceptions=EXPECTED)
    def statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.queries.statistics(query)

    @rpc(expected_exceptions=EXPECTED)
    def exact_statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.queries.exact_statistics(query)

    @rpc(expected_exceptions=EXPECTED)
    def alerts_of_jurisdiction(self, jurisdiction: str, days: int = 90, limit: int = 500) -> dict[str, Any]:
        return self.handlers.queries.history(jurisdiction, days, limit)

    @rpc(expected_exceptions=EXPECTED)
    def acknowledge(self, alert_id: str, reply: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.commands.acknowledge(alert_id, reply)

    @rpc(expected_exceptions=EXPECTED)
    def report_outcome(self, alert_id: str, report: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.commands.report_outcome(alert_id, report)

    @partner_reply_handler(EventName.PARTNER_ACKNOWLEDGED, MessageKind.ACKNOWLEDGEMENT)
    def on_partner_acknowledged(self, event: ReceivedEvent) -> None:
        self.handlers.commands.partner_acknowledged(event)

    @partner_reply_handler(EventName.OUTCOME_REPORTED, MessageKind.OUTCOME)
    def on_outcome_reported(self, event: ReceivedEvent) -> None:
        self.handlers.commands.outcome_reported(event)

    # -- retention (arrêté du 22 avril 2015) -----------------------------------------
    @rpc(expected_exceptions=RETENTION_EXPECTED)
    def authorise_position_retention(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        return self.handlers.commands.authorise_position_retention(alert_id, request)

    @rpc(expected_exceptions=RETENTION_EXPECTED)
    def alert_territory(self, alert_id: str) -> dict[str, Any]:
        return self.handlers.queries.territory(alert_id)

    # -- the device read model (device and notify events) ------------------------------
    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_PROVISIONED)
    def on_device_provisioned(self, event: ReceivedEvent) -> None:
        self.handlers.devices.provisioned(event.data)

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_ACTIVATED)
    def on_device_activated(self, event: ReceivedEvent) -> None:
        self.handlers.devices.activated(event.data)

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_RETURNED)
    def on_device_returned(self, event: ReceivedEvent) -> None:
        self.handlers.devices.returned(event.data)

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_REPLACED)
    def on_device_replaced(self, event: ReceivedEvent) -> None:
        self.handlers.devices.replaced(event.data)

    @envelope_handler(ServiceName.NOTIFY, EventName.FORCES_INFORMED)
    def on_forces_informed(self, event: ReceivedEvent) -> None:
        self.handlers.devices.forces_informed(event.data)

    @envelope_handler(ServiceName.DEVICE, EventName.BENEFICIARY_MOVED)
    def on_beneficiary_moved(self, event: ReceivedEvent) -> None:
        self.handlers.devices.moved(event.data)

    @envelope_handler(ServiceName.DEVICE, EventName.DOSSIER_CHANGED)
    def on_dossier_changed(self, event: ReceivedEvent) -> None:
        self.handlers.devices.dossier_changed(event.data)

    # -- records and keys --------------------------------------------------------------
    @rpc(expected_exceptions=(InvalidRequest, AlertNotFound))
    def migrate_records(self, batch: int = 200, after: str | None = None) -> dict[str, Any]:
        """``tgd alert migrate-records`` calls it batch after batch until none is left."""
        return migrate_records(batch, after)

    @rpc
    def rotate_field_keys(self) -> dict[str, int]:
        return rotate_field_keys()

    # -- operations ---------------------------------------------------------------------
    @dead_letter_alarm
    def on_dead_letter(self, alarm: DeadLetterAlarm) -> None:
        report_dead_letter(alarm)

    # -- timers (the outbox relay's is OutboxRelay's) --------------------------------------
    @every("ALERT_TICK_S", 0.5)
    def check_deadlines(self) -> None:
        """Failsafe dispatch, repeats and escalation whose deadline has passed."""
        self.handlers.ops.check_deadlines()

    @every("ALERT_PURGE_INTERVAL_S", 3600)
    def run_retention(self) -> None:
        """Positions 72 h after the alert (192 h when authorised), dossier copies 72 h after,
        returned devices' facts 72 h after the return, records after their legal basis."""
        self.handlers.ops.run_retention()
