"""The evaluation service (évaluation du danger, décision du procureur): nameko
entrypoints only; rules live in :mod:`evaluation.domain`, storage in
:mod:`evaluation.repository`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from nameko import config
from nameko.timer import timer

from evaluation import deadlines, domain, instruments, models, reads, retention, risk
from evaluation.dependencies import (
    Clock,
    InstrumentsProvider,
    PolicyProvider,
    RetentionPolicyProvider,
    evaluation_database,
)
from evaluation.exceptions import EXPECTED, AttributionNotFound, InvalidRequest, InvalidState, ReferralNotFound
from evaluation.repository import StaleMeasure
from evaluation.retention_entrypoints import RetentionEntrypoints
from evaluation.statistics import evaluation_figures
from tgd_contracts.evaluation import (
    AttributionDecision,
    Consent,
    EvaluationReport,
    MeasureStatus,
    RenewalDecision,
    Requisition,
    Withdrawal,
)
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.evidence import SubjectKind, service_part
from tgd_contracts.statistics import EvaluationFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_servicekit import rotation
from tgd_servicekit.consumers import rpc
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.outbox import publish_stored, relay
from tgd_servicekit.requests import short_id, validated

log = logging.getLogger(__name__)
Transition = Callable[[domain.Measure], tuple[domain.Measure, list[domain.Event]]]


def parse(model: Any, payload: Any) -> Any:
    return validated(model, payload, InvalidRequest)


def check_id(value: Any) -> str:
    return short_id(value, InvalidRequest, "Ids are strings of 1 to 64 characters.")


class EvaluationService(RetentionEntrypoints, rotation.KeyRotation):
    name = "evaluation"
    ENCRYPTED_DOCUMENTS = (models.MeasureDocument,)  # module access: nameko inspects classes here

    measures = evaluation_database()
    events = EnvelopeDispatcher()
    now = Clock()
    policy = PolicyProvider()
    retention_policy = RetentionPolicyProvider()
    instruments = InstrumentsProvider()

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

    @rpc(expected_exceptions=EXPECTED)
    def list_instruments(self) -> dict[str, Any]:
        """The risk grids with their items' labels and weights, and the levels' thresholds."""
        return instruments.published(self.instruments).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_measure(self, referral_id: str) -> dict[str, Any]:
        loaded = self.measures.load(check_id(referral_id))
        if loaded is None:
            raise ReferralNotFound()
        return self._view(loaded[0])

    @rpc(expected_exceptions=EXPECTED)
    def measure_evidence(self, referral_id: str) -> dict[str, Any]:
        """The measure's part of an evidence archive: requisition, evaluations and their
        reports, consent, decision, renewals, withdrawal, and the events still retained."""
        found = self.measures.evidence_of(check_id(referral_id))
        if found is None:
            raise ReferralNotFound()
        state, reports, events = found
        related = {"attribution_ids": [state["attribution_id"]]} if state.get("attribution_id") else {}
        return service_part(
            "evaluation",
            SubjectKind.MEASURE,
            referral_id,
            state.get("jurisdiction"),
            {"measure": state, "reports": reports},
            events,
            self.now(),
            related=related,
        ).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_attribution(self, attribution_id: str) -> dict[str, Any]:
        return self.get_measure(self._referral_of(attribution_id))

    @rpc(expected_exceptions=EXPECTED)
    def list_measures(self, jurisdiction: str, status: str | None = None, limit: int = 200) -> dict[str, Any]:
        """Les mesures d'un ressort, for the parquet's and the association's screens."""
        if not isinstance(limit, int) or not 1 <= limit <= 500:
            raise InvalidRequest("limit is 1 to 500.")
        try:
            wanted = MeasureStatus(status) if status is not None else None
        except ValueError:
            raise InvalidRequest("Unknown measure status.") from None
        measures = self.measures.of_jurisdiction(check_id(jurisdiction))
        return reads.page(measures, self.policy, wanted, limit).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def measure_record(self, referral_id: str) -> dict[str, Any]:
        """The measure in full with the association's reports (le dossier de la mesure)."""
        found = self.measures.load_with_reports(check_id(referral_id))
        if found is None:
            raise ReferralNotFound()
        return reads.record(found[0], found[1], self.policy).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Observatory aggregates of a jurisdiction and period: anonymised counts and delays only."""
        return anonymised.evaluations(EvaluationFigures.consume(self.exact_statistics(query))).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def exact_statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Exact figures of a court and period (its parquet, the steering committee)."""
        parsed = parse(StatisticsQuery, query)
        return evaluation_figures(parsed, self.measures.of_jurisdiction(parsed.jurisdiction)).to_wire()

    @timer(interval=float(config.get("DEADLINE_CHECK_INTERVAL", 60)))
    def check_deadlines(self) -> None:
        """Reminders before the end of a period, expiry at its end."""
        now = self.now()
        for referral_id in self.measures.due(now):
            try:
                self._change(referral_id, lambda m: deadlines.tick(m, now, self.policy))
            except InvalidState:
                log.info("measure %s changed during the deadline check; next pass", referral_id)
            finally:
                self.measures.release_due(referral_id, now)  # unless the save cleared it

    @timer(interval=float(config.get("OUTBOX_RELAY_INTERVAL", 5)))
    def relay_outbox(self) -> None:
        """Publish events whose publication failed or was interrupted."""
        report = relay(self.measures, publish_many=self.events.publish_many)  # pipelined confirms
        if report.failed:
            log.warning("outbox relay: %d published, %d failed", report.published, report.failed)

    # -- helpers ------------------------------------------------------------------
    def _referral_of(self, attribution_id: str) -> str:
        referral_id = self.measures.referral_of(check_id(attribution_id))
        if referral_id is None:
            raise AttributionNotFound()
        return referral_id

    def _view(self, measure: domain.Measure) -> dict[str, Any]:
        return domain.view(measure, self.policy).to_wire()

    def _change(self, referral_id: str, transition: Transition, report: dict[str, Any] | None = None) -> domain.Measure:
        """Load, apply a domain transition, store the state and its events in one write, publish."""
        loaded = self.measures.load(check_id(referral_id))
        if loaded is None:
            raise ReferralNotFound()
        measure, version = loaded
        changed, emitted = transition(measure)
        if changed == measure and not emitted:
            return measure
        subject = changed.attribution_id or changed.referral_id
        envelopes = [self.events.build(name, subject, data) for name, data in emitted]
        try:
            self.measures.save(
                changed,
                version,
                envelopes,
                deadlines.next_deadline(changed, self.policy),
                report,
                retention.purge_due_at(changed, self.retention_policy),
            )
        except StaleMeasure:
            raise InvalidState("The measure changed meanwhile; retry.") from None
        for envelope in envelopes:
            log.info("measure %s: %s", referral_id, envelope.event_name)
        publish_stored(self.measures, referral_id, envelopes, self.events.publish)  # under this instance's lease
        return changed
