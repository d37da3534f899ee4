"""Receiving a referral (signalement), mixed into :class:`referral.service.ReferralService`:
recorded once per idempotency key with its ``referral_received`` event (rules in
:mod:`referral.domain`)."""

from __future__ import annotations

import logging
from typing import Any

from referral import domain
from referral.domain import retention
from referral.exceptions import EXPECTED, IdempotencyKeyReused
from referral.handlers import Handlers
from referral.repository import Submissions
from tgd_contracts.referral import ReferralSubmission, SubmissionResult
from tgd_servicekit.aggregate import change
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import parse

log = logging.getLogger(__name__)


def _purged() -> IdempotencyKeyReused:
    return IdempotencyKeyReused("This key's referral was purged at the end of its retention.")


class SubmissionEntrypoints(Handlers):
    @rpc(expected_exceptions=EXPECTED)
    def submit_referral(
        self, idempotency_key: str, submission: dict[str, Any], role: str | None = None
    ) -> dict[str, Any]:
        """Record a referral (signalement) once per idempotency key; emits ``referral_received``.
        With the caller's ``role`` (the gateway's), ``referral`` is that role's view of it
        (:func:`referral.domain.view_for`); without, the stored referral."""
        key = domain.check_idempotency_key(idempotency_key)
        parsed = parse(ReferralSubmission, submission)
        fingerprint = domain.fingerprint(parsed)

        def purge_due_at(referral: Any) -> Any:
            basis = retention.Basis(received_at=referral.received_at)
            return retention.purge_due_at(basis, self.retention_policy)

        done = change(
            Submissions(self.referrals, purge_due_at, _purged),
            key,
            lambda held: domain.submit(held, parsed, fingerprint, self.now(), domain.new_referral_id()),
            build=lambda held, event: self.events.build(event[0], held.referral.id, event[1]),
            publish=self.events.publish,
            start=lambda _key: domain.Submitted(),
        )
        referral = done.after.referral
        if done.written:
            log.info("referral %s received for %s", referral.id, referral.jurisdiction)
        result = SubmissionResult(referral=referral, created=done.written).to_wire()
        return result if role is None else {**result, "referral": domain.view_for(result["referral"], role)}
