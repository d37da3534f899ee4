"""The alert service (régulation de l'appel): nameko entrypoints only. Rules live in
:mod:`alert.domain` and :mod:`alert.routing`, use cases in :mod:`alert.operations`,
storage in :mod:`alert.repository`."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from nameko import config
from nameko.timer import timer

from alert import domain, routing
from alert.dependencies import Clock, DossierSource, PartnerPublisher, Settings, Spawner, alert_database
from alert.entrypoints import partner_reply_handler
from alert.evidence import alert_evidence
from alert.exceptions import AlertNotFound, AlertStateConflict, InvalidRequest, NoOpenAlert, UnknownQuestion
from alert.migration_entrypoints import RecordEntrypoints
from alert.operations import AlertOperations, dossier_of
from alert.qualified_test_calls import messages_for_test_call
from alert.read_model import ReadModelEntrypoints
from alert.retention_entrypoints import RetentionEntrypoints
from alert.statistics import alert_figures
from alert.views import alert_history, alert_view, device_routing
from tgd_contracts.alert import (
    AlertTrigger,
    CloseAlert,
    OutcomeReport,
    PartnerReply,
    PositionUpdate,
    Qualification,
    ScriptAnswer,
    TakeAlert,
)
from tgd_contracts.alert_views import OpenAlerts
from tgd_contracts.events import EventName
from tgd_contracts.evidence import RelatedAlerts
from tgd_contracts.partners import MessageKind
from tgd_contracts.statistics import AlertFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_servicekit.alarms import DeadLetterAlarm, dead_letter_alarm
from tgd_servicekit.consumers import rpc
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.handlers import ReceivedEvent
from tgd_servicekit.requests import short_id, validated

log = logging.getLogger(__name__)
EXPECTED = (InvalidRequest, AlertNotFound, AlertStateConflict, UnknownQuestion, NoOpenAlert)


def parse(model: Any, payload: Any) -> Any:
    return validated(model, payload, InvalidRequest)


def check_id(alert_id: Any) -> str:
    return short_id(alert_id, AlertNotFound)


class AlertService(RetentionEntrypoints, ReadModelEntrypoints, RecordEntrypoints):
    name = "alert"

    alerts = alert_database()
    events = EnvelopeDispatcher()
    partners = PartnerPublisher()
    dossiers = DossierSource()
    settings = Settings()
    now = Clock()
    spawn = Spawner()

    @property
    def ops(self) -> AlertOperations:
        return AlertOperations(
            self.alerts, self.events, self.partners, self.settings, self.now, self.spawn, self.refresh_missing_dossier
        )

    # -- the device platform ------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def trigger_alert(self, trigger: dict[str, Any]) -> dict[str, Any]:
        """A press of the alert key (déclenchement); returns once the alert is stored."""
        return self.ops.trigger(parse(AlertTrigger, trigger)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def update_position(self, update: dict[str, Any]) -> dict[str, Any]:
        return {"alert_id": self.ops.add_position(parse(PositionUpdate, update))}

    # -- the operator ---------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def take_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        req = parse(TakeAlert, request)
        alert = self.ops.mutate(
            check_id(alert_id), "alert.take", lambda a, now: _none(domain.take(a, req.operator, now))
        )
        return alert_view(alert).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def answer_question(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        req = parse(ScriptAnswer, request)
        script = self.settings.script

        def rule(a: Any, now: Any) -> list[routing.Outgoing]:
            domain.answer(
                a, script, operator=req.operator, question_id=req.question_id, value=req.answer, note=req.note, now=now
            )
            return []

        alert = self.ops.mutate(check_id(alert_id), "alert.answer", rule)
        view = alert_view(alert).to_wire()
        suggestion = domain.suggested_outcome(script, alert.answers)
        view["suggested_outcome"] = suggestion.value if suggestion else None
        return view

    @rpc(expected_exceptions=EXPECTED)
    def qualify_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """The decision: danger -> dispatch; no danger -> association; test call; accidental."""
        req = parse(Qualification, request)
        script, territory = self.settings.script, self.settings.territory

        def rule(a: Any, now: Any) -> list[routing.Outgoing]:
            domain.qualify(a, script, operator=req.operator, outcome=req.outcome, note=req.note, now=now)
            return [*routing.after_qualification(a, now, dossier_of(a), territory), *messages_for_test_call(a, now)]

        return alert_view(self.ops.mutate(check_id(alert_id), "alert.qualify", rule)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def close_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        req = parse(CloseAlert, request)

        def rule(a: Any, now: Any) -> list[routing.Outgoing]:
            domain.close(a, actor=req.operator, result=None, now=now, note=req.note)
            return routing.closed_messages(a)

        return alert_view(self.ops.mutate(check_id(alert_id), "alert.close", rule)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_alert(self, alert_id: str) -> dict[str, Any]:
        found = self.alerts.get(check_id(alert_id))
        if found is None:
            raise AlertNotFound()
        return alert_view(found[0]).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def alert_evidence(self, alert_id: str) -> dict[str, Any]:
        """The alert's part of an evidence archive (:mod:`alert.evidence`)."""
        found = self.alerts.evidence_of(check_id(alert_id))
        if found is None:
            raise AlertNotFound()
        return alert_evidence(*found, now=self.now()).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def alerts_of_device(self, device_id: str, attribution_id: str | None = None) -> dict[str, Any]:
        """The ids of the alerts raised from a device (during one attribution when named),
        for a measure's evidence and a subject access."""
        device_id = check_id(device_id)
        attribution = check_id(attribution_id) if attribution_id is not None else None
        ids = self.alerts.alert_ids_of_device(device_id, attribution)
        return RelatedAlerts(device_id=device_id, alert_ids=ids).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def list_open_alerts(self) -> dict[str, Any]:
        """The operator's live list, from the plain summaries (nothing decrypted)."""
        return OpenAlerts.model_validate({"items": self.alerts.open_summaries()}).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def device_routing(self, device_id: str) -> dict[str, Any]:
        """Is this device ready for an alert: active, competent unit known, dossier held."""
        return device_routing(self.alerts.device(check_id(device_id))).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def qualification_script(self) -> dict[str, Any]:
        return {
            "questions": [
                {"id": q.id, "text": q.text, "answers": list(q.answers)} for q in self.settings.script.questions
            ]
        }

    # -- partners (through the gateway; over AMQP below) ----------------------------
    @rpc(expected_exceptions=EXPECTED)
    def statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Observatory aggregates of a jurisdiction and period: anonymised counts and delays only."""
        return anonymised.alerts(AlertFigures.consume(self.exact_statistics(query))).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def exact_statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Exact figures of a court and period (its parquet, the steering committee)."""
        parsed = parse(StatisticsQuery, query)
        start, end = parsed.window()
        return alert_figures(parsed, self.alerts.raised_between(start, end)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def alerts_of_jurisdiction(self, jurisdiction: str, days: int = 90, limit: int = 500) -> dict[str, Any]:
        """Les alertes d'un ressort over the last ``days`` days, with their outcome (the parquet's screen)."""
        if not isinstance(days, int) or not 1 <= days <= 366 or not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise InvalidRequest("days is 1 to 366, limit 1 to 1000.")
        end = self.now()
        alerts = self.alerts.raised_between(end - timedelta(days=days), end + timedelta(seconds=1))
        return alert_history(str(jurisdiction), alerts, limit).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def acknowledge(self, alert_id: str, reply: dict[str, Any]) -> dict[str, Any]:
        req = parse(PartnerReply, reply)
        rule = lambda a, now: _none(routing.acknowledge(a, req.dispatch_id, req.recipient, now))  # noqa: E731
        return alert_view(self.ops.mutate(check_id(alert_id), "alert.acknowledge", rule)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def report_outcome(self, alert_id: str, report: dict[str, Any]) -> dict[str, Any]:
        req = parse(OutcomeReport, report)
        rule = lambda a, now: routing.report_outcome(a, req.recipient, req.result, req.note, now)  # noqa: E731
        return alert_view(self.ops.mutate(check_id(alert_id), "alert.outcome", rule)).to_wire()

    @partner_reply_handler(EventName.PARTNER_ACKNOWLEDGED, MessageKind.ACKNOWLEDGEMENT)
    def on_partner_acknowledged(self, event: ReceivedEvent) -> None:
        data = event.data
        self._once(
            event,
            lambda: self.ops.mutate(
                data.alert_id,
                "alert.acknowledge",
                lambda a, now: _none(routing.acknowledge(a, data.dispatch_id, data.recipient, now)),
            ),
        )

    @partner_reply_handler(EventName.OUTCOME_REPORTED, MessageKind.OUTCOME)
    def on_outcome_reported(self, event: ReceivedEvent) -> None:
        data = event.data
        self._once(
            event,
            lambda: self.ops.mutate(
                data.alert_id,
                "alert.outcome",
                lambda a, now: routing.report_outcome(a, data.recipient, data.result, data.note, now),
            ),
        )

    # -- operations ---------------------------------------------------------------------
    @dead_letter_alarm
    def on_dead_letter(self, alarm: DeadLetterAlarm) -> None:
        """A message of the alert path went to the dead letters: an alert may be
        waiting on it. Where and why only (never the content); ``tgd deadletters``
        lists and replays it."""
        log.critical(
            "ALARM dead letter on the alert path: queue=%s reason=%s type=%s id=%s "
            "(list: tgd deadletters list; replay: tgd deadletters replay)",
            alarm.queue,
            alarm.reason,
            alarm.event_type,
            alarm.message_id,
        )

    # -- timers -----------------------------------------------------------------------
    @timer(interval=float(config.get("ALERT_TICK_S", 0.5)))
    def check_deadlines(self) -> None:
        """Failsafe dispatch, repeats and escalation whose deadline has passed."""
        self.ops.check_deadlines()

    @timer(interval=float(config.get("OUTBOX_RELAY_INTERVAL", 5)))
    def relay_outbox(self) -> None:
        self.ops.relay_outbox()

    def _once(self, event: ReceivedEvent, handle: Any) -> None:
        """Handle a CloudEvent once (inbox on source + id)."""
        key = event.envelope.dedup_key
        if self.alerts.handled(key):
            return
        handle()  # an unknown alert raises: retried, then dead-lettered where an operator sees it
        self.alerts.mark_handled(key)


def _none(_: Any) -> list[routing.Outgoing]:
    return []
