"""What the parquet and the association read of their measures (lectures de la mesure):
the measures of a court, one measure in full (requisition and its due date, the
association's reports with the risk grid's answers, consent, decision, withdrawal),
and the risk instruments' items, so that a report form lists them."""

from __future__ import annotations

from datetime import date, datetime

from tgd_contracts.base import Contract
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


class FiledReport(Contract):
    """Un rapport d'évaluation as filed, with the grid's score and the level retained."""

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
    report: EvaluationReport | None  # None once purged (retention)


class MeasureRecord(Contract):
    """Le dossier de la mesure, for the parquet and the association of its court."""

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


class InstrumentItem(Contract):
    item_id: str
    weight: int


class Threshold(Contract):
    minimum_score: int
    level: Level


class RiskInstrument(Contract):
    """Une grille d'évaluation du danger: its items (ids and weights) and thresholds."""

    instrument_id: str
    version: str
    items: list[InstrumentItem]
    thresholds: list[Threshold]


class RiskInstruments(Contract):
    items: list[RiskInstrument]
