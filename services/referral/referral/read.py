"""What the referral service shows (pure): a referral's evidence part, and the
statistics (signalements per period): exact figures for the parquet and the steering
committee, anonymised for the observatory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tgd_contracts.evidence import EvidencePart, SubjectKind, service_part
from tgd_contracts.referral import ProfessionalKind, ReferralSummary, ReferralView, Urgency
from tgd_contracts.statistics import ReferralFigures, ReferralStatistics, StatisticsQuery, tally
from tgd_contracts.statistics import anonymise as anonymised


def referral_figures(query: StatisticsQuery, referrals: Iterable[ReferralSummary]) -> ReferralFigures:
    """Exact counts of the referrals of ``query``'s jurisdiction received in its period (Paris days)."""
    chosen = [r for r in referrals if r.jurisdiction == query.jurisdiction and query.covers(r.received_at)]
    return ReferralFigures(
        jurisdiction=query.jurisdiction,
        starts_on=query.starts_on,
        ends_on=query.ends_on,
        referrals=len(chosen),
        by_urgency=tally(Counter(str(r.urgency) for r in chosen), [u.value for u in Urgency]),
        by_referrer_kind=tally(Counter(str(r.referrer_kind) for r in chosen), [k.value for k in ProfessionalKind]),
    )


def referral_statistics(query: StatisticsQuery, referrals: Iterable[ReferralSummary]) -> ReferralStatistics:
    """The observatory's anonymised counts of the same referrals."""
    return anonymised.referrals(referral_figures(query, referrals))


def evidence(referral: ReferralView, events: list[dict[str, Any]], now: datetime) -> EvidencePart:
    """The referral's part of a measure's evidence (le signalement, as received)."""
    records = {"referral": referral.to_wire()}
    return service_part("referral", SubjectKind.MEASURE, referral.id, referral.jurisdiction, records, events, now)
