"""Restore a measure handed over by another operator (reprise d'un ressort,
docs/handover.md), mixed into :class:`evaluation.service.EvaluationService` in one line.

The evaluation part of a hand-over archive holds the measure as stored (requisition,
evaluations, consent, decision, renewals) and the association's reports; they are written
here as this service stores them, encrypted with this platform's keys, with this
platform's deadline (reminder, expiry) and retention dates computed from the measure. No
event is emitted: the decision was taken and told before the hand-over."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from evaluation.domain import Measure, deadlines, retention
from evaluation.models import MeasureDocument
from tgd_servicekit.consumers import rpc
from tgd_servicekit.handover_restore import RestoreConflict, RestoreRefused, outcome, records_of

log = logging.getLogger(__name__)
EXPECTED = (RestoreConflict, RestoreRefused)


class HandoverRestoreEntrypoints:
    """Needs the service's ``policy`` and ``retention_policy``."""

    policy: Any
    retention_policy: Any

    @rpc(expected_exceptions=EXPECTED)
    def restore_handover(self, part: dict[str, Any], dry_run: bool = False) -> dict[str, Any]:
        """Write the measure of a hand-over part once: ``restored``, or ``unchanged`` when
        the same one is here already (``dry_run``: checked, nothing written); another
        measure under this id is refused."""
        state, reports = records_of(part, "evaluation", "measure", "reports")
        try:
            measure = Measure.model_validate(state)
        except ValidationError as exc:
            raise RestoreRefused(f"the measure is not valid: {exc.error_count()} error(s).") from None
        if not isinstance(reports, list) or not all(isinstance(r, dict) for r in reports):
            raise RestoreRefused("the reports are a list of records.")
        incoming = {"measure": measure.model_dump(mode="json"), "reports": reports}
        doc = MeasureDocument.objects(referral_id=measure.referral_id).first()
        stored = {"measure": dict(doc.state), "reports": [dict(r) for r in doc.reports]} if doc else None
        found = outcome("measure", measure.referral_id, stored, incoming)
        if found is not None or dry_run:
            return {"referral_id": measure.referral_id, "outcome": found or "restored"}
        MeasureDocument(
            referral_id=measure.referral_id,
            jurisdiction=measure.jurisdiction,
            status=measure.status.value,
            attribution_id=measure.attribution_id,
            ends_at=measure.ends_at,
            next_deadline_at=deadlines.next_deadline(measure, self.policy),
            purge_due_at=retention.purge_due_at(measure, self.retention_policy),
            state=incoming["measure"],
            reports=reports,
        ).save(force_insert=True)
        log.info("measure %s restored from a hand-over", measure.referral_id)
        return {"referral_id": measure.referral_id, "outcome": "restored"}
