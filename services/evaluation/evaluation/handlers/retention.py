"""The evaluation service's retention timer, mixed into
:class:`evaluation.service.EvaluationService` (rules in :mod:`evaluation.domain.retention`)."""

from __future__ import annotations

import logging

from evaluation.domain import retention
from evaluation.handlers import Handlers
from evaluation.repository import StaleMeasure
from tgd_servicekit.timers import every

log = logging.getLogger(__name__)


class RetentionEntrypoints(Handlers):
    @every("EVALUATION_PURGE_INTERVAL_S", 3600)
    def run_retention(self) -> int:
        """Purge the personal data of measures past their retention; logs counts only."""
        now = self.now()
        purged = 0
        for referral_id in self.measures.due_for_purge(now):
            loaded = self.measures.load(referral_id)
            if loaded is None or loaded[0].anonymised_at is not None:
                continue
            try:
                self.measures.anonymise(retention.anonymise(loaded[0], now), loaded[1])
            except StaleMeasure:
                log.info("measure %s changed during the retention run; next run", referral_id)
                continue
            purged += 1
        log.info("retention run: measures_anonymised=%d", purged)
        return purged
