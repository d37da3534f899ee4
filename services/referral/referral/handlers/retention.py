"""The referral service's retention entrypoints, mixed into
:class:`referral.service.ReferralService`: the evaluation events that start and end a
referral's legal basis, and the timer that purges what is past it (rules in
:mod:`referral.domain.retention`). Handlers are idempotent: a replay sets the same values."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from referral.domain import retention
from referral.handlers import Handlers
from tgd_contracts.events import EventName, ServiceName
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.timers import every

log = logging.getLogger(__name__)


class UnknownAttribution(Exception):
    """An end of attribution arrived before its decision (another queue): retried."""


class RetentionEntrypoints(Handlers):
    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_DECIDED)
    def on_attribution_decided(self, event: ReceivedEvent) -> None:
        """Granted: the identity is kept while the attribution lasts; refused: the basis ends."""
        d = event.data
        found = self.referrals.basis(referral_id=d.referral_id)
        if found is None or found[1].anonymised:
            return
        ended = None if d.granted else d.decided_at
        self._set(found[0], found[1], attribution_id=d.attribution_id, ended_at=found[1].ended_at or ended)

    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_WITHDRAWN)
    def on_attribution_withdrawn(self, event: ReceivedEvent) -> None:
        self._ended(event.data.attribution_id, event.data.withdrawn_at)

    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_EXPIRED)
    def on_attribution_expired(self, event: ReceivedEvent) -> None:
        self._ended(event.data.attribution_id, event.data.expired_at)

    @every("REFERRAL_PURGE_INTERVAL_S", 3600)
    def run_retention(self) -> int:
        """Purge the personal data of referrals past their retention; logs counts only."""
        now = self.now()
        purged = sum(self.referrals.anonymise(referral_id, now) for referral_id in self.referrals.due_for_purge(now))
        log.info("retention run: referrals_anonymised=%d", purged)
        return purged

    def _ended(self, attribution_id: str, at: datetime) -> None:
        found = self.referrals.basis(attribution_id=attribution_id)
        if found is None:
            raise UnknownAttribution()  # requeued: its decision is on its way
        referral_id, basis = found
        if basis.anonymised or basis.ended_at is not None:
            return
        self._set(referral_id, basis, attribution_id=attribution_id, ended_at=at)

    def _set(self, referral_id: str, basis: retention.Basis, **changes: Any) -> None:
        changed = retention.Basis(**{**basis.__dict__, **changes})
        self.referrals.set_basis(referral_id, changed, retention.purge_due_at(changed, self.retention_policy))
