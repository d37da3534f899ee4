"""How long the personal data of a measure's record is kept (arrêté du 22 avril 2015: the
processing serves the protection decided by the prosecutor, and data is kept only as long
as that purpose), the rule the referral service (the signalement) and the evaluation
service (the measure's reports and free text) both apply, pure: dates in, a date out.

The personal data is kept:

- while the measure is undecided, at most ``undecided`` after it started (default
  :data:`UNDECIDED_MONTHS`, one attribution period: a referral nobody decided on has no
  basis left);
- while the attribution lasts (decided, not yet withdrawn or expired);
- then ``after_end`` more once it ended (refused, withdrawn or expired; default
  :data:`AFTER_END_MONTHS`, the time for the parquet and the association to close the file).

The periods are configured (ISO 8601): this module only needs them to add themselves to a
date (``tgd_servicekit.durations.Period`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

UNDECIDED_MONTHS = 6
AFTER_END_MONTHS = 3


class Span(Protocol):
    def after(self, moment: datetime) -> datetime: ...


@dataclass(frozen=True)
class MeasureRetention:
    undecided: Span
    after_end: Span

    def purge_due_at(
        self, *, started_at: datetime | None, undecided: bool, ended_at: datetime | None, anonymised: bool
    ) -> datetime | None:
        """When the personal data is purged; None while the attribution lasts, once it is
        purged, or while undecided with no known start."""
        if anonymised:
            return None
        if ended_at is not None:
            return self.after_end.after(ended_at)
        if undecided and started_at is not None:
            return self.undecided.after(started_at)
        return None
