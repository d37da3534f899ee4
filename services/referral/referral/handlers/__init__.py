"""The referral service's use cases, as nameko entrypoint mixins grouped by subject
(submission, reads, follow-up, orientation, retention). A submission goes through the
aggregate algorithm of :mod:`tgd_servicekit.aggregate`, keyed by its idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from referral.exceptions import ReferralNotFound
from referral.repository import Purged
from tgd_servicekit.service import ServiceShell


class Handlers(ServiceShell):
    """What every entrypoint mixin of the service uses: its dependencies (declared by
    :class:`referral.service.ReferralService`)."""

    referrals: Any
    retention_policy: Any

    def _found(self, read: Callable[[str], Any], referral_id: Any) -> Any:
        """What ``read`` finds of a referral, or ``ReferralNotFound`` (a purged one too)."""
        try:
            found = read(referral_id) if isinstance(referral_id, str) else None
        except Purged:
            raise ReferralNotFound("This referral's personal data was purged at the end of its retention.") from None
        if found is None:
            raise ReferralNotFound()
        return found
