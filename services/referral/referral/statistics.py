"""The referral service's observatory aggregates (signalements per period), pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tgd_contracts.referral import ProfessionalKind, ReferralSummary, Urgency
from tgd_contracts.statistics import ReferralStatistics, StatisticsQuery, breakdown, count


def referral_statistics(query: StatisticsQuery, referrals: Iterable[ReferralSummary]) -> ReferralStatistics:
    """Anonymised counts of the referrals of ``query``'s jurisdiction received in its period."""
    chosen = [r for r in referrals if r.jurisdiction == query.jurisdiction and query.covers(r.received_at)]
    kinds = Counter(str(r.referrer_kind) for r in chosen)
    # urgent + standard = referrals: a breakdown, so a small standard count is not given away
    urgency = breakdown(Counter(str(r.urgency) for r in chosen), [u.value for u in Urgency])
    return ReferralStatistics(
        jurisdiction=query.jurisdiction,
        starts_on=query.starts_on,
        ends_on=query.ends_on,
        referrals=count(len(chosen)),
        urgent=urgency[Urgency.URGENT.value],
        by_referrer_kind=breakdown(kinds, [k.value for k in ProfessionalKind]),
    )
