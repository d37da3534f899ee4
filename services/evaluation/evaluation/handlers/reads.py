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
from tgd_servicekit.requests import check_id, parse


class ReadEntrypoints(Handlers):
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
        found = self.measures.load_with_reports(check_id(referral_id))
        if found is None:
            raise ReferralNotFound()
        return read.record(found[0], found[1], self.policy).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Observatory aggregates of a jurisdiction and period: anonymised counts and delays only."""
        return anonymised.evaluations(EvaluationFigures.consume(self.exact_statistics(query))).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def exact_statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Exact figures of a court and period (its parquet, the steering committee)."""
        parsed = parse(StatisticsQuery, query)
        return read.evaluation_figures(parsed, self.measures.of_jurisdiction(parsed.jurisdiction)).to_wire()
