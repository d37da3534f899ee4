"""The referral service's use cases, as nameko entrypoint mixins grouped by subject
(submission, reads, follow-up, orientation, retention). A submission goes through the
aggregate algorithm of :mod:`tgd_servicekit.aggregate`, keyed by its idempotency key."""

from __future__ import annotations

from typing import Any


class Handlers:
    """What every entrypoint mixin of the service uses: its dependencies (declared by
    :class:`referral.service.ReferralService`)."""

    referrals: Any
    events: Any
    now: Any
    retention_policy: Any
