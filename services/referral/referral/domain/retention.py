"""How long a referral's personal data is kept (arrêté du 22 avril 2015: the processing
serves the protection decided by the prosecutor; data is kept only as long as that
purpose), pure: dates in, a date out.

A referral (signalement) names the person at risk and the facts. They are kept:

- while the measure it started is undecided, at most ``undecided`` after receipt
  (default 6 months, the length of one attribution period: a referral no one decided
  on in that time has no basis left);
- while the attribution it led to lasts (decided, not yet withdrawn or expired);
- then ``after_basis`` more once the basis ended (refused, withdrawn or expired;
  default 3 months, the time for the parquet and the association to close the file).

Then the identity, the facts, the referrer's own file number and the body's fingerprint
are purged; what statistics need stays (jurisdiction, dates, urgency, kind of referrer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tgd_servicekit.durations import Period

UNDECIDED = Period(months=6)
AFTER_BASIS = Period(months=3)


@dataclass(frozen=True)
class RetentionPolicy:
    undecided: Period = UNDECIDED
    after_basis: Period = AFTER_BASIS


@dataclass(frozen=True)
class Basis:
    """What the referral service knows of the measure from the evaluation events."""

    received_at: datetime
    attribution_id: str | None = None  # set by attribution_decided (granted or refused)
    ended_at: datetime | None = None  # refused, withdrawn or expired
    anonymised: bool = False


def purge_due_at(basis: Basis, policy: RetentionPolicy) -> datetime | None:
    """When the referral's personal data is purged; None while an attribution lasts or
    once it is purged already."""
    if basis.anonymised:
        return None
    if basis.ended_at is not None:
        return policy.after_basis.after(basis.ended_at)
    if basis.attribution_id is None:
        return policy.undecided.after(basis.received_at)
    return None


def due(basis: Basis, policy: RetentionPolicy, now: datetime) -> bool:
    at = purge_due_at(basis, policy)
    return at is not None and now >= at
