"""The evaluation service's use cases, as nameko entrypoint mixins grouped by subject
(measures, reads, retention); every change to a measure goes through :meth:`Handlers._change`
(the aggregate algorithm of :mod:`tgd_servicekit.aggregate`)."""

from __future__ import annotations

import logging
from typing import Any

from evaluation import domain, read
from evaluation.domain import deadlines
from evaluation.domain.retention import purge_due_at
from evaluation.exceptions import AttributionNotFound, InvalidState, ReferralNotFound
from evaluation.repository import StaleMeasure
from tgd_servicekit.aggregate import RepositoryStore, Rule, change
from tgd_servicekit.requests import check_id
from tgd_servicekit.service import ServiceShell

log = logging.getLogger(__name__)


class Handlers(ServiceShell):
    """What every entrypoint mixin of the service uses: its dependencies (declared by
    :class:`evaluation.service.EvaluationService`) and :meth:`_change`."""

    measures: Any
    policy: Any
    retention_policy: Any
    instruments: Any

    def _change(
        self, referral_id: str, transition: Rule[domain.Measure], report: dict[str, Any] | None = None
    ) -> domain.Measure:
        """Load, apply a domain transition, store the state and its events (and the
        association's ``report``) in one write, publish; a concurrent change starts again."""

        def write(m: domain.Measure, version: int, envelopes: list[Any]) -> None:
            due = deadlines.next_deadline(m, self.policy)
            self.measures.save(m, version, envelopes, due, report, purge_due_at(m, self.retention_policy))

        def build(m: domain.Measure, event: domain.Event) -> Any:
            return self.events.build(event[0], m.attribution_id or m.referral_id, event[1])

        done = change(
            RepositoryStore(self.measures, write, StaleMeasure),
            check_id(referral_id),
            transition,
            build=build,
            publish=self.events.publish,
            missing=ReferralNotFound,
            conflict=lambda: InvalidState("The measure changed meanwhile; retry."),
        )
        for envelope in done.messages:
            log.info("measure %s: %s", referral_id, envelope.event_name)
        return done.after

    def _referral_of(self, attribution_id: str) -> str:
        referral_id = self.measures.referral_of(check_id(attribution_id))
        if referral_id is None:
            raise AttributionNotFound()
        return referral_id

    def _view(self, measure: domain.Measure) -> dict[str, Any]:
        return read.view(measure, self.policy).to_wire()
