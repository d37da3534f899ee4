"""What the evaluation service shows (built in :mod:`evaluation.read`), mixed into
:class:`evaluation.service.EvaluationService`: the instruments, measures, a measure's
record and evidence, statistics."""

from __future__ import annotations

from typing import Any

from evaluation import read
from evaluation.domain import instruments
from evaluation.exceptions import EXPECTED, InvalidRequest, ReferralNotFound
from evaluation.handlers import Handlers
from tgd_contracts.evaluation import MeasureStatus
from tgd_contracts.statistics import EvaluationFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import check_id, found
from tgd_servicekit.statistics import StatisticsEntrypoints


class ReadEntrypoints(Handlers, StatisticsEntrypoints):
    anonymise = staticmethod(anonymised.evaluations)

    @rpc(expected_exceptions=EXPECTED)
    def list_instruments(self) -> dict[str, Any]:
        """The risk grids with their items' labels and weights, and the levels' thresholds."""
        return instruments.published(self.instruments).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_measure(self, referral_id: str) -> dict[str, Any]:
        return self._view(found(self.measures.load(check_id(referral_id)), ReferralNotFound)[0])

    @rpc(expected_exceptions=EXPECTED)
    def measure_evidence(self, referral_id: str) -> dict[str, Any]:
        """The measure's part of an evidence archive: requisition, evaluations and their
        reports, consent, decision, renewals, withdrawal, and the events still retained."""
        state, reports, events = found(self.measures.evidence_of(check_id(referral_id)), ReferralNotFound)
        return read.evidence(referral_id, state, reports, events, self.now()).to_wire()

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
        return read.page(measures, self.policy, wanted, limit).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def measure_record(self, referral_id: str) -> dict[str, Any]:
        """The measure in full with the association's reports (le dossier de la mesure)."""
        record = found(self.measures.load_with_reports(check_id(referral_id)), ReferralNotFound)
        return read.record(record[0], record[1], self.policy).to_wire()

    def exact_figures(self, query: StatisticsQuery) -> EvaluationFigures:
        """The court's measures in the period: counts and delays (:func:`evaluation.read.evaluation_figures`)."""
        return read.evaluation_figures(query, self.measures.of_jurisdiction(query.jurisdiction))
