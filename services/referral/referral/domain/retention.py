"""How long a referral's personal data is kept (arrêté du 22 avril 2015: the processing
serves the protection decided by the prosecutor; data is kept only as long as that
purpose), pure: dates in, a date out.

A referral (signalement) names the person at risk and the facts. They are kept:

- while the measure it started is undecided, at most ``undecided`` after receipt;
- while the attribution it led to lasts (decided, not yet withdrawn or expired);
- then ``after_end`` more once the basis ended (refused, withdrawn or expired)

(the rule the evaluation service applies to the measure's reports too:
:mod:`tgd_contracts.measure_retention`, with its default periods).

Then the identity, the facts, the referrer's own file number and the body's fingerprint
are purged; what statistics need stays (jurisdiction, dates, urgency, kind of referrer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tgd_contracts.measure_retention import AFTER_END_MONTHS, UNDECIDED_MONTHS, MeasureRetention
from tgd_servicekit.durations import Period


@dataclass(frozen=True)
class RetentionPolicy(MeasureRetention):
    undecided: Period = Period(months=UNDECIDED_MONTHS)
    after_end: Period = Period(months=AFTER_END_MONTHS)


@dataclass(frozen=True)
class Basis:
    """What the referral service knows of the measure from the evaluation events."""

    received_at: datetime
    attribution_id: str | None = None  # set by attribution_decided (granted or refused)
    ended_at: datetime | None = None  # refused, withdrawn or expired
    anonymised: bool = False


def purge_due_at(basis: Basis, policy: MeasureRetention) -> datetime | None:
    """When the referral's personal data is purged; None while an attribution lasts or
    once it is purged already."""
    return policy.purge_due_at(
        started_at=basis.received_at,
        undecided=basis.attribution_id is None,
        ended_at=basis.ended_at,
        anonymised=basis.anonymised,
    )


def due(basis: Basis, policy: MeasureRetention, now: datetime) -> bool:
    at = purge_due_at(basis, policy)
    return at is not None and now >= at
