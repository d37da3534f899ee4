"""The operator's and the partners' commands on an alert (prise en charge, script,
qualification, closing, acknowledgements, outcomes, the prosecutor's authorisation),
and the maintenance of the stored records: each request validated, its rule
(:mod:`alert.domain`) applied with :meth:`alert.handlers.operations.AlertOperations.mutate`,
the alert's view returned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from alert import domain
from alert.dependencies.partner_replies import partner_reply_handler
from alert.domain import Alert, qualified_test_calls, retention, routing
from alert.exceptions import EXPECTED, RETENTION_EXPECTED, AlertNotFound, InvalidRequest, check_id, parse
from alert.handlers import Handlers
from alert.models import DeviceDocument
from alert.read import alert_view
from alert.repository import migration
from tgd_contracts.alert import CloseAlert, OutcomeReport, PartnerReply, Qualification, ScriptAnswer, TakeAlert
from tgd_contracts.events import EventName
from tgd_contracts.partners import MessageKind
from tgd_contracts.retention import PositionRetentionAuthorisation
from tgd_servicekit.consumers import rpc
from tgd_servicekit.handlers import ReceivedEvent
from tgd_servicekit.requests import short_id
from tgd_servicekit.rotation import reseal_documents

Rule = Callable[[Alert, datetime], list[routing.Outgoing]]


def _view(alert: Alert) -> dict[str, Any]:
    return alert_view(alert).to_wire()


def _none(_: Any) -> list[routing.Outgoing]:
    return []


class CommandEntrypoints(Handlers):
    def _change(self, alert_id: str, span: str, rule: Rule) -> Alert:
        return self.ops.mutate(check_id(alert_id), span, rule)

    # -- the operator ---------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def take_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        req = parse(TakeAlert, request)
        return _view(self._change(alert_id, "alert.take", lambda a, now: _none(domain.take(a, req.operator, now))))

    @rpc(expected_exceptions=EXPECTED)
    def answer_question(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """The answer recorded; the view says the outcome the script suggests so far."""
        req = parse(ScriptAnswer, request)
        script = self.settings.script

        def rule(a: Alert, now: datetime) -> list[routing.Outgoing]:
            domain.answer(
                a, script, operator=req.operator, question_id=req.question_id, value=req.answer, note=req.note, now=now
            )
            return []

        alert = self._change(alert_id, "alert.answer", rule)
        suggestion = domain.suggested_outcome(script, alert.answers)
        return {**_view(alert), "suggested_outcome": suggestion.value if suggestion else None}

    @rpc(expected_exceptions=EXPECTED)
    def qualify_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """The decision: danger -> dispatch; no danger -> association; test call; accidental."""
        req = parse(Qualification, request)
        script, territory = self.settings.script, self.settings.territory

        def rule(a: Alert, now: datetime) -> list[routing.Outgoing]:
            domain.qualify(a, script, operator=req.operator, outcome=req.outcome, note=req.note, now=now)
            dispatched = routing.after_qualification(a, now, domain.dossier_of(a), territory)
            return [*dispatched, *qualified_test_calls.messages_for_test_call(a, now)]

        return _view(self._change(alert_id, "alert.qualify", rule))

    @rpc(expected_exceptions=EXPECTED)
    def close_alert(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        req = parse(CloseAlert, request)

        def rule(a: Alert, now: datetime) -> list[routing.Outgoing]:
            domain.close(a, actor=req.operator, result=None, now=now, note=req.note)
            return routing.closed_messages(a)

        return _view(self._change(alert_id, "alert.close", rule))

    # -- partners (through the gateway; over AMQP below) ----------------------------
    @rpc(expected_exceptions=EXPECTED)
    def acknowledge(self, alert_id: str, reply: dict[str, Any]) -> dict[str, Any]:
        req = parse(PartnerReply, reply)
        rule = lambda a, now: _none(routing.acknowledge(a, req.dispatch_id, req.recipient, now))  # noqa: E731
        return _view(self._change(alert_id, "alert.acknowledge", rule))

    @rpc(expected_exceptions=EXPECTED)
    def report_outcome(self, alert_id: str, report: dict[str, Any]) -> dict[str, Any]:
        req = parse(OutcomeReport, report)
        rule = lambda a, now: routing.report_outcome(a, req.recipient, req.result, req.note, now)  # noqa: E731
        return _view(self._change(alert_id, "alert.outcome", rule))

    @partner_reply_handler(EventName.PARTNER_ACKNOWLEDGED, MessageKind.ACKNOWLEDGEMENT)
    def on_partner_acknowledged(self, event: ReceivedEvent) -> None:
        """No inbox: an acknowledgement is idempotent in the record itself (a delivery
        already acknowledged is left as it is, and an unchanged record is not written), so
        a redelivered copy changes nothing and costs one read instead of two inbox writes."""
        d = event.data
        rule = lambda a, now: _none(routing.acknowledge(a, d.dispatch_id, d.recipient, now))  # noqa: E731
        self.ops.mutate(d.alert_id, "alert.acknowledge", rule)

    @partner_reply_handler(EventName.OUTCOME_REPORTED, MessageKind.OUTCOME)
    def on_outcome_reported(self, event: ReceivedEvent) -> None:
        d = event.data
        rule = lambda a, now: routing.report_outcome(a, d.recipient, d.result, d.note, now)  # noqa: E731
        self._once(event, lambda: self.ops.mutate(d.alert_id, "alert.outcome", rule))

    def _once(self, event: ReceivedEvent, handle: Callable[[], Any]) -> None:
        """Handle a CloudEvent once (inbox on source + id)."""
        key = event.envelope.dedup_key
        if self.alerts.handled(key):
            return
        handle()  # an unknown alert raises: retried, then dead-lettered where an operator sees it
        self.alerts.mark_handled(key)

    # -- retention (arrêté du 22 avril 2015) ----------------------------------------
    @rpc(expected_exceptions=RETENTION_EXPECTED)
    def authorise_position_retention(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """Autorisation du procureur: the positions are kept 8 days instead of 3. Refused
        (``retention_over``) once the 3 days are over; a second one keeps the first."""
        grant = parse(PositionRetentionAuthorisation, request)
        return retention.retention_view(self.ops.authorise_positions(check_id(alert_id), grant)).to_wire()

    # -- the stored records and keys --------------------------------------------------
    @rpc(expected_exceptions=(InvalidRequest, AlertNotFound))
    def migrate_records(self, batch: int = 200, after: str | None = None) -> dict[str, Any]:
        """Convert records of the earlier layout (and reseal old keys), one batch in id
        order after ``after`` (``tgd alert migrate-records`` calls it until none is left)."""
        if not isinstance(batch, int) or isinstance(batch, bool) or not 1 <= batch <= 1000:
            raise InvalidRequest("batch is 1 to 1000.")
        start = None if after is None else short_id(after, InvalidRequest)
        return migration.migrate(batch, start).to_wire()

    @rpc
    def rotate_field_keys(self) -> dict[str, int]:
        """``tgd keys rotate``: every sealed value under the active key."""
        run = migration.migrate_all()
        return {"AlertDocument": run.converted + run.resealed, "DeviceDocument": reseal_documents(DeviceDocument)}
