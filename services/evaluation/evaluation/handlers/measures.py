"""A measure's life (rules in :mod:`evaluation.domain`), mixed into
:class:`evaluation.service.EvaluationService`: its opening, the requisition, the
association's report, consent, decision, renewal, withdrawal, and its deadlines."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from evaluation import domain
from evaluation.domain import deadlines, retention, risk
from evaluation.exceptions import EXPECTED, InvalidState
from evaluation.handlers import Handlers
from tgd_contracts.evaluation import (
    AttributionDecision,
    Consent,
    EvaluationReport,
    RenewalDecision,
    Requisition,
    Withdrawal,
)
from tgd_contracts.events import EventName, ServiceName
from tgd_servicekit.consumers import rpc
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.requests import parse
from tgd_servicekit.timers import each_due, every

log = logging.getLogger(__name__)


class MeasureEntrypoints(Handlers):
    @envelope_handler(ServiceName.REFERRAL, EventName.REFERRAL_RECEIVED)
    def on_referral_received(self, event: ReceivedEvent) -> None:
        """A referral exists: open its measure (a replay finds it open and changes nothing)."""
        data = event.data
        measure = domain.open_measure(data.referral_id, data.jurisdiction, data.received_at)
        if self.measures.create(measure, retention.purge_due_at(measure, self.retention_policy)):
            log.info("measure opened for referral %s", data.referral_id)

    @rpc(expected_exceptions=EXPECTED)
    def request_evaluation(self, referral_id: str, requisition: dict[str, Any]) -> dict[str, Any]:
        """Réquisition of the association; emits ``evaluation_requested``."""
        parsed = parse(Requisition, requisition)
        return self._view(self._change(referral_id, lambda m: domain.request_evaluation(m, parsed, self.now())))

    @rpc(expected_exceptions=EXPECTED)
    def file_report(self, referral_id: str, report: dict[str, Any]) -> dict[str, Any]:
        """Rapport d'évaluation (initial or before renewal); emits ``evaluation_completed``."""
        parsed = parse(EvaluationReport, report)
        result = risk.assess(parsed.risk, self.instruments)
        evaluation_id = uuid.uuid4().hex
        stored = {"evaluation_id": evaluation_id, **parsed.to_wire()}
        return self._view(
            self._change(referral_id, lambda m: domain.file_report(m, result, evaluation_id, self.now()), report=stored)
        )

    @rpc(expected_exceptions=EXPECTED)
    def record_consent(self, referral_id: str, consent: dict[str, Any]) -> dict[str, Any]:
        """Consentement de la bénéficiaire."""
        parsed = parse(Consent, consent)
        return self._view(self._change(referral_id, lambda m: (domain.record_consent(m, parsed), [])))

    @rpc(expected_exceptions=EXPECTED)
    def decide(self, referral_id: str, decision: dict[str, Any]) -> dict[str, Any]:
        """Décision d'attribution or refusal; emits ``attribution_decided``."""
        parsed = parse(AttributionDecision, decision)
        attribution_id = uuid.uuid4().hex
        return self._view(
            self._change(referral_id, lambda m: domain.decide(m, parsed, self.now(), attribution_id, self.policy))
        )

    @rpc(expected_exceptions=EXPECTED)
    def renew(self, attribution_id: str, renewal: dict[str, Any]) -> dict[str, Any]:
        """Renouvellement (or not); emits ``attribution_renewed``."""
        parsed = parse(RenewalDecision, renewal)
        referral_id = self._referral_of(attribution_id)
        return self._view(self._change(referral_id, lambda m: domain.renew(m, parsed, self.now(), self.policy)))

    @rpc(expected_exceptions=EXPECTED)
    def withdraw(self, attribution_id: str, withdrawal: dict[str, Any]) -> dict[str, Any]:
        """Retrait; emits ``attribution_withdrawn``."""
        parsed = parse(Withdrawal, withdrawal)
        referral_id = self._referral_of(attribution_id)
        return self._view(self._change(referral_id, lambda m: domain.withdraw(m, parsed, self.now())))

    @every("DEADLINE_CHECK_INTERVAL", 60)
    def check_deadlines(self) -> None:
        """Reminders before the end of a period, expiry at its end."""
        now = self.now()
        each_due(self.measures, now, self._change, lambda m: deadlines.tick(m, now, self.policy), InvalidState)
