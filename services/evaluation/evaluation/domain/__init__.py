"""The measure's lifecycle (seed 002 §B, §C, §F), pure: no nameko, no database.

One :class:`Measure` per referral: requisition -> report -> consent -> decision (eligibility:
:mod:`evaluation.domain.eligibility`) -> active periods (renewals capped per jurisdiction) -> withdrawn
or expired. Every transition takes the current time and returns the new measure and the events to
emit; a refused transition raises an error named after its code. Deadlines: :mod:`evaluation.domain.deadlines`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from evaluation.domain import eligibility
from evaluation.domain.association import check_association, following_association
from evaluation.domain.risk import RiskResult
from evaluation.exceptions import AuthorIncarcerated, ConsentRequired, InvalidRequest, InvalidState, RenewalLimitReached
from tgd_contracts.base import Contract
from tgd_contracts.evaluation import (
    AttributionDecided,
    AttributionDecision,
    AttributionRenewed,
    AttributionWithdrawn,
    Consent,
    EvaluationCompleted,
    EvaluationRequested,
    MeasureStatus,
    Purpose,
    RenewalDecision,
    Requisition,
    Withdrawal,
    WithdrawalReason,
)
from tgd_contracts.events import EventName
from tgd_contracts.measure_reads import EvaluationScore
from tgd_servicekit.durations import Period

S = MeasureStatus
PRE_DECISION = (S.REFERRED, S.EVALUATION_REQUESTED, S.EVALUATED)
Event = tuple[EventName, Contract]


@dataclass(frozen=True)
class Policy:
    """Per-deployment settings: default period (6 months), reminder lead, renewal caps."""

    period: Period
    reminder_lead: Period
    default_renewal_cap: int = 1
    renewal_caps: Mapping[str, int] = field(default_factory=dict)  # Paris convention: renewable once

    def renewal_cap(self, jurisdiction: str) -> int:
        return self.renewal_caps.get(jurisdiction, self.default_renewal_cap)


class EvaluationRecord(EvaluationScore):
    """An evaluation in the stored measure (kept as it was written: unknown keys ignored)."""

    model_config = ConfigDict(extra="ignore")
    raised_by: str | None = None
    raised_because: str | None = None


class Measure(BaseModel):
    """La mesure: everything decided about one referral (no identity: that stays with
    the referral service and the fiche navette)."""

    model_config = ConfigDict(frozen=True)
    referral_id: str
    jurisdiction: str
    status: MeasureStatus = S.REFERRED
    requisition: Requisition | None = None
    requested_at: datetime | None = None
    requisition_overdue_sent: bool = False  # the parquet and the association were reminded
    evaluations: tuple[EvaluationRecord, ...] = ()
    consent: Consent | None = None
    attribution_id: str | None = None
    decision: AttributionDecision | None = None
    decided_at: datetime | None = None
    period_started_at: datetime | None = None
    ends_at: datetime | None = None
    renewals: int = 0
    renewed_at: tuple[datetime, ...] = ()  # when each renewal was decided (for the observatory)
    renewal_decided_for: datetime | None = None  # ends_at of the period whose renewal was decided
    reminded_for: datetime | None = None  # ends_at of the period whose reminder was sent
    withdrawal: Withdrawal | None = None
    closed_at: datetime | None = None
    opened_at: datetime | None = None  # the referral's receipt (retention of undecided measures)
    anonymised_at: datetime | None = None  # personal data purged (evaluation.domain.retention)

    def change(self, **values: object) -> Measure:
        return self.model_copy(update=values)


def open_measure(referral_id: str, jurisdiction: str, opened_at: datetime | None = None) -> Measure:
    """From ``referral_received``: the measure exists, nothing is asked yet."""
    return Measure(referral_id=referral_id, jurisdiction=jurisdiction, opened_at=opened_at)


def request_evaluation(m: Measure, requisition: Requisition, now: datetime) -> tuple[Measure, list[Event]]:
    """Réquisition of the association. Repeating it changes nothing."""
    if m.status == S.EVALUATION_REQUESTED:
        return m, []
    if m.status != S.REFERRED:
        raise InvalidState(f"The association cannot be requisitioned when the measure is {m.status.value}.")
    check_association(m.jurisdiction, requisition.association)
    event = EvaluationRequested(referral_id=m.referral_id, jurisdiction=m.jurisdiction, requested_at=now)
    changed = m.change(status=S.EVALUATION_REQUESTED, requisition=requisition, requested_at=now)
    return changed, [(EventName.EVALUATION_REQUESTED, event)]


def file_report(m: Measure, risk: RiskResult, evaluation_id: str, now: datetime) -> tuple[Measure, list[Event]]:
    """Rapport d'évaluation: after the requisition (initial) or during a period (renewal)."""
    if m.status == S.EVALUATION_REQUESTED:
        purpose, status = Purpose.INITIAL, S.EVALUATED
    elif m.status == S.ACTIVE:
        purpose, status = Purpose.RENEWAL, S.ACTIVE
    else:
        raise InvalidState(f"No report is expected when the measure is {m.status.value}.")
    record = EvaluationRecord(
        evaluation_id=evaluation_id,
        purpose=purpose,
        completed_at=now,
        instrument_id=risk.instrument_id,
        instrument_version=risk.instrument_version,
        score=risk.score,
        computed_level=risk.computed_level,
        level=risk.level,
        raised_by=risk.raised_by,
        raised_because=risk.raised_because,
    )
    event = EvaluationCompleted(
        referral_id=m.referral_id,
        evaluation_id=evaluation_id,
        jurisdiction=m.jurisdiction,
        purpose=purpose,
        risk_level=risk.level,
        instrument_id=risk.instrument_id,
        instrument_version=risk.instrument_version,
        completed_at=now,
    )
    return m.change(status=status, evaluations=(*m.evaluations, record)), [(EventName.EVALUATION_COMPLETED, event)]


def record_consent(m: Measure, consent: Consent) -> Measure:
    """Consentement (or refusal) of the beneficiary, before the decision."""
    if m.status not in PRE_DECISION:
        raise InvalidState("Consent is recorded before the decision.")
    return m.change(consent=consent)


def decide(
    m: Measure, decision: AttributionDecision, now: datetime, attribution_id: str, policy: Policy
) -> tuple[Measure, list[Event]]:
    """Décision du procureur. Granting needs the report, the consent, the author out of prison, eligible facts."""
    if m.status in (S.REFERRED, S.EVALUATION_REQUESTED):
        raise InvalidState("The decision needs the association's evaluation report first.")
    if m.status != S.EVALUATED:
        raise InvalidState("This measure has already been decided.")
    eligibility.check_facts(decision.eligibility, now)
    if decision.granted:
        if m.consent is None or not m.consent.given:
            raise ConsentRequired()
        if decision.author_incarcerated:  # before the eligibility facts: its own error code
            raise AuthorIncarcerated()
        eligibility.require_eligible(decision.eligibility, decision.author_incarcerated)
        period = Period(months=decision.duration_months) if decision.duration_months else policy.period
        ends_at = period.after(now)
        changed = m.change(status=S.ACTIVE, period_started_at=now, ends_at=ends_at, attribution_id=attribution_id)
    else:
        ends_at = None
        changed = m.change(status=S.REFUSED, attribution_id=attribution_id, closed_at=now)
    changed = changed.change(decision=decision, decided_at=now)
    event = AttributionDecided(
        attribution_id=attribution_id,
        referral_id=m.referral_id,
        jurisdiction=m.jurisdiction,
        granted=decision.granted,
        decided_at=now,
        ends_at=ends_at,
        association=following_association(m),
    )
    return changed, [(EventName.ATTRIBUTION_DECIDED, event)]


def renew(m: Measure, renewal: RenewalDecision, now: datetime, policy: Policy) -> tuple[Measure, list[Event]]:
    """Renouvellement: after a re-evaluation in the current period, within the cap."""
    if m.status != S.ACTIVE or m.ends_at is None or m.period_started_at is None or m.attribution_id is None:
        raise InvalidState(f"Only an active attribution can be renewed (it is {m.status.value}).")
    if m.renewal_decided_for == m.ends_at:
        raise InvalidState("The renewal of this period has already been decided.")
    if not any(e.purpose == Purpose.RENEWAL and e.completed_at >= m.period_started_at for e in m.evaluations):
        raise InvalidState("A renewal needs the association's re-evaluation during the current period.")
    if not renewal.renewed:
        changed = m.change(renewal_decided_for=m.ends_at)
    else:
        if m.renewals >= policy.renewal_cap(m.jurisdiction):
            raise RenewalLimitReached(f"{m.jurisdiction} allows {policy.renewal_cap(m.jurisdiction)} renewal(s).")
        new_end = policy.period.after(m.ends_at)
        changed = m.change(
            renewals=m.renewals + 1, renewed_at=(*m.renewed_at, now), period_started_at=m.ends_at, ends_at=new_end
        )
    event = AttributionRenewed(
        attribution_id=m.attribution_id,
        jurisdiction=m.jurisdiction,
        renewed=renewal.renewed,
        renewals=changed.renewals,
        ends_at=changed.ends_at or m.ends_at,
    )
    return changed, [(EventName.ATTRIBUTION_RENEWED, event)]


def withdraw(m: Measure, withdrawal: Withdrawal, now: datetime) -> tuple[Measure, list[Event]]:
    """Retrait, for one of the five reasons of §F."""
    if m.status != S.ACTIVE or m.attribution_id is None:
        raise InvalidState(f"Only an active attribution can be withdrawn (it is {m.status.value}).")
    if withdrawal.reason == WithdrawalReason.PROSECUTOR_REQUEST and withdrawal.steering_committee_opinion_on is None:
        raise InvalidRequest("A withdrawal at the parquet's request follows the steering committee's opinion (date).")
    event = AttributionWithdrawn(
        attribution_id=m.attribution_id, jurisdiction=m.jurisdiction, reason=withdrawal.reason, withdrawn_at=now
    )
    changed = m.change(status=S.WITHDRAWN, withdrawal=withdrawal, closed_at=now)
    return changed, [(EventName.ATTRIBUTION_WITHDRAWN, event)]
