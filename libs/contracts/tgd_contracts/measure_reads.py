"""What the parquet and the association read of their measures (lectures de la mesure):
the measures of a court, one measure in full (requisition and its due date, the
association's reports with the risk grid's answers, consent, decision, withdrawal).
The grids' items themselves: ``tgd_contracts.instruments``."""

from __future__ import annotations

from datetime import date, datetime

from tgd_contracts.base import Contract
from tgd_contracts.eligibility import EligibilityCheck
from tgd_contracts.evaluation import (
    AttributionDecision,
    Consent,
    EvaluationReport,
    Level,
    MeasureView,
    Purpose,
    Requisition,
    Withdrawal,
)


class MeasurePage(Contract):
    """Mesures d'un ressort (most recent activity first)."""

    items: list[MeasureView]


class EvaluationScore(Contract):
    """An evaluation as the measure keeps it: the grid, its score and the level retained
    (raised by whom and why when the association raised it)."""

    evaluation_id: str
    purpose: Purpose
    completed_at: datetime
    instrument_id: str
    instrument_version: str
    score: int
    computed_level: Level
    level: Level
    raised_by: str | None
    raised_because: str | None


class FiledReport(EvaluationScore):
    """Un rapport d'évaluation as filed, with the grid's score and the level retained."""

    report: EvaluationReport | None  # None once purged (retention)


class MeasureRecord(Contract):
    """Le dossier de la mesure, for the parquet and the association of its court."""

    SCHEMA_VERSION = "1.1.0"  # 1.1: the decision's eligibility facts and their check

    jurisdiction: str
    measure: MeasureView
    requisition: Requisition | None
    requested_at: datetime | None
    report_due_on: date | None
    consent: Consent | None
    decision: AttributionDecision | None
    decided_at: datetime | None
    withdrawal: Withdrawal | None
    closed_at: datetime | None
    reports: list[FiledReport]
    eligibility: EligibilityCheck | None = None  # the rule's verdict on the decision's facts
