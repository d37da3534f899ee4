"""Evaluation and decision contracts (évaluation du danger, décision du procureur,
renouvellement, retrait): what the prosecutor's office and the referent association
send, the measure read back, and the events (ids and routing facts only).

This module holds the events; the association's report lives in
:mod:`tgd_contracts.evaluation_report`, the prosecutor's decisions and the measure in
:mod:`tgd_contracts.evaluation_decisions`; every evaluation model is importable from here.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from tgd_contracts.base import Contract
from tgd_contracts.evaluation_decisions import (
    AttributionDecision,
    CommitteeOpinion,
    Consent,
    MeasureStatus,
    MeasureView,
    RenewalDecision,
    Requisition,
    Withdrawal,
    WithdrawalReason,
)
from tgd_contracts.evaluation_report import (
    Answer,
    Criterion,
    DecisionCriteria,
    EvaluationReport,
    ItemId,
    Level,
    LongText,
    RiskAssessment,
    RiskItem,
    RiskOverride,
    Situation,
)

__all__ = [
    "Answer",
    "AttributionDecided",
    "AttributionDecision",
    "AttributionExpired",
    "AttributionExpiring",
    "AttributionRenewed",
    "AttributionWithdrawn",
    "CommitteeOpinion",
    "Consent",
    "Criterion",
    "DecisionCriteria",
    "EvaluationCompleted",
    "EvaluationReport",
    "EvaluationRequested",
    "ItemId",
    "Level",
    "LongText",
    "MeasureStatus",
    "MeasureView",
    "Purpose",
    "RenewalDecision",
    "Requisition",
    "RiskAssessment",
    "RiskItem",
    "RiskOverride",
    "Situation",
    "Withdrawal",
    "WithdrawalReason",
]


class Purpose(StrEnum):
    INITIAL = "initial"
    RENEWAL = "renewal"


class EvaluationRequested(Contract):
    """Event ``evaluation_requested``: the association is requisitioned."""

    referral_id: str
    jurisdiction: str
    requested_at: datetime


class EvaluationCompleted(Contract):
    """Event ``evaluation_completed``: the association filed its report."""

    referral_id: str
    evaluation_id: str
    jurisdiction: str
    purpose: Purpose
    risk_level: Level
    instrument_id: str
    instrument_version: str
    completed_at: datetime


class AttributionDecided(Contract):
    """Event ``attribution_decided``: granted (device to provision) or refused."""

    SCHEMA_VERSION = "1.1.0"

    attribution_id: str
    referral_id: str
    jurisdiction: str
    granted: bool
    decided_at: datetime
    ends_at: datetime | None
    association: str | None = None  # the association following her (the court's only one, or the requisitioned)


class AttributionRenewed(Contract):
    """Event ``attribution_renewed``: the period was renewed, or not (then it expires)."""

    attribution_id: str
    jurisdiction: str
    renewed: bool
    renewals: int
    ends_at: datetime


class AttributionExpiring(Contract):
    """Event ``attribution_expiring``: reminder to the association and the parquet."""

    attribution_id: str
    jurisdiction: str
    ends_at: datetime


class AttributionWithdrawn(Contract):
    """Event ``attribution_withdrawn`` (retrait)."""

    attribution_id: str
    jurisdiction: str
    reason: WithdrawalReason
    withdrawn_at: datetime


class AttributionExpired(Contract):
    """Event ``attribution_expired``: end of the period without renewal."""

    attribution_id: str
    jurisdiction: str
    expired_at: datetime
