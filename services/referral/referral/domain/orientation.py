"""What became of a referral (orientations du signalement), pure: no nameko, no database.

- the vocabulary is :class:`tgd_contracts.orientation.OrientationKind`; several kinds may
  apply to one referral (a complaint, then a protection-order request...);
- an orientation is recorded once it happened: dated today or before (Europe/Paris), and
  not before the day the referral was received;
- the same kind on the same date is recorded once (a second one is refused, so a double
  click or a colleague's entry does not count twice); a retry with the same idempotency
  key is not a second one;
- who recorded it: the staff reference given, and the partner the caller acts as.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from referral.exceptions import InvalidRequest, OrientationRecorded
from tgd_contracts.orientation import Orientation, OrientationView, RecordedOrientation, RecorderAudience

PARIS = ZoneInfo("Europe/Paris")


def check(
    orientation: Orientation, received_at: datetime, now: datetime, existing: Iterable[RecordedOrientation]
) -> Orientation:
    """Refuse an orientation dated in the future, before the referral, or already recorded."""
    today = now.astimezone(PARIS).date()
    if orientation.on > today:
        raise InvalidRequest("An orientation is recorded once it happened (its date is not in the future).")
    received_on = received_at.astimezone(PARIS).date()
    if orientation.on < received_on:
        raise InvalidRequest(f"An orientation follows the referral: its date is {received_on.isoformat()} or later.")
    if any(e.kind == orientation.kind and e.on == orientation.on for e in existing):
        raise OrientationRecorded(f"This orientation ({orientation.kind.value}, {orientation.on}) is already recorded.")
    return orientation


def recorder(audience: object) -> RecorderAudience:
    """The partner the caller acts as (set by the gateway, never by the body)."""
    try:
        return RecorderAudience(audience)
    except ValueError:
        raise InvalidRequest("recorded_as is association or parquet.") from None


def recorded(
    orientation: Orientation, orientation_id: str, audience: RecorderAudience, now: datetime
) -> RecordedOrientation:
    return RecordedOrientation(
        **orientation.model_dump(), orientation_id=orientation_id, recorded_as=audience, recorded_at=now
    )


def view(referral_id: str, jurisdiction: str, orientations: Iterable[RecordedOrientation]) -> OrientationView:
    """Newest first (by date, then by when it was recorded)."""
    ordered = sorted(orientations, key=lambda o: (o.on, o.recorded_at), reverse=True)
    return OrientationView(referral_id=referral_id, jurisdiction=jurisdiction, orientations=ordered)
