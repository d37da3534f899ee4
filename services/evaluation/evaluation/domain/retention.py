"""How long a measure's personal data is kept (arrêté du 22 avril 2015: only as long as
the protection it serves), pure: the measure and the time in, a date or a new measure out.

The measure itself holds no identity, but the association's reports (enquête sociale:
situation of the victim and of the author, the criteria's notes) and the free text of
the decisions (reasons, notes, who collected or decided, the eligibility facts) are personal. They are kept:

- while the measure is undecided, at most ``undecided`` after it was opened;
- while the attribution lasts;
- then ``after_end`` more once it was refused, withdrawn or expired

(the rule the referral service applies to the signalement too:
:mod:`tgd_contracts.measure_retention`, with its default periods).

Then the reports are deleted and the free text replaced; what statistics need stays:
jurisdiction, status, dates, risk levels and scores, renewals, the withdrawal's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from evaluation.domain import PRE_DECISION, Measure
from tgd_contracts.measure_retention import AFTER_END_MONTHS, UNDECIDED_MONTHS, MeasureRetention
from tgd_servicekit.durations import Period

ANONYMISED = "anonymised"


@dataclass(frozen=True)
class RetentionPolicy(MeasureRetention):
    undecided: Period = Period(months=UNDECIDED_MONTHS)
    after_end: Period = Period(months=AFTER_END_MONTHS)


def purge_due_at(m: Measure, policy: MeasureRetention) -> datetime | None:
    """When the measure's personal data is purged; None while the attribution lasts,
    once purged, or for a measure opened before its opening date was recorded."""
    return policy.purge_due_at(
        started_at=m.opened_at,
        undecided=m.status in PRE_DECISION,
        ended_at=m.closed_at,
        anonymised=m.anonymised_at is not None,
    )


def anonymise(m: Measure, now: datetime) -> Measure:
    """The measure without its personal free text (the reports are deleted beside it)."""
    if m.anonymised_at is not None:
        return m
    text = {"requisition": ("requested_by",), "consent": ("collected_by",), "decision": ("reasons", "decided_by")}
    changes: dict[str, object] = {
        name: getattr(m, name).model_copy(update={field: ANONYMISED for field in fields})
        for name, fields in text.items()
        if getattr(m, name) is not None
    }
    if m.decision is not None:  # the eligibility facts (lien, séparation, nature du danger) are hers too
        changes["decision"] = changes["decision"].model_copy(update={"eligibility": None})  # type: ignore[attr-defined]
    if m.withdrawal is not None:
        changes["withdrawal"] = m.withdrawal.model_copy(update={"notes": None, "decided_by": ANONYMISED})
    changes["evaluations"] = tuple(
        e.model_copy(update={"raised_by": None, "raised_because": None}) for e in m.evaluations
    )
    return m.change(**changes, anonymised_at=now)
