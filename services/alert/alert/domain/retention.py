"""Retention of what the alert service holds (arrêté du 22 avril 2015, seed 002 §E.II.c),
pure: time passed in, no database.

- **positions** (coordonnées de géolocalisation): purged 72 hours after the alert is
  raised, or 8 days (192 hours) when the competent prosecutor authorised it; the
  authorisation must come within the 72 hours (what is purged is never brought back);
- **copies of the fiche navette** (the dossier attached to the alert) and the published
  partner messages that carried the position and the dossier: purged 72 hours after the
  alert, whatever the authorisation (it concerns positions only). As an alert is raised
  before its device is returned, this is also at most 3 days after the return;
- **the alert record** itself (journal, conversations, answers, operators): kept as long
  as its legal basis, the attribution, lasts, then ``record_retention`` more (the time
  for the parquet to export it as evidence), then anonymised for statistics: the
  jurisdiction, dates, nature (outcome) and result, counts and delays stay; nothing that
  identifies a person or a device does. An alert with no attribution (unknown device)
  has no other basis: it is anonymised ``record_retention`` after it was raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from alert.domain.model import SYSTEM, Alert, DeviceFacts, PositionRetention, Press
from alert.exceptions import RetentionOver
from tgd_contracts.alert import JournalEntry
from tgd_contracts.retention import PositionRetentionAuthorisation, PositionRetentionView
from tgd_servicekit.durations import Period

#: trois jours
POSITION_RETENTION = timedelta(hours=72)
#: portés à huit jours sur autorisation du procureur de la République (seed 002 §E.II.c)
AUTHORISED_POSITION_RETENTION = timedelta(hours=192)
ANONYMOUS = "anonymised"
#: what the alert service holds of a returned device's attribution goes at most 3 days after
DEVICE_WIPE_DELAY = timedelta(hours=72)


def positions_purge_at(alert: Alert) -> datetime:
    extended = alert.position_retention is not None
    return alert.raised_at + (AUTHORISED_POSITION_RETENTION if extended else POSITION_RETENTION)


def copies_purge_at(alert: Alert) -> datetime:
    """The dossier copy and the published messages (they carried the position and dossier)."""
    return alert.raised_at + POSITION_RETENTION


def basis_ended_at(alert: Alert) -> datetime | None:
    """When the alert record's legal basis ended: the attribution's end (its device
    returned), or the alert itself when it has no attribution (unknown device); None while
    the attribution lasts, and once the record is anonymised (nothing left to purge)."""
    if alert.anonymised_at is not None:
        return None
    if alert.device.attribution_id is None:
        return alert.raised_at
    ended = alert.basis_ended_at or alert.device.returned_at
    return None if ended is None else max(ended, alert.raised_at)


def record_purge_at(alert: Alert, record_retention: Period) -> datetime | None:
    """When the alert record is anonymised: ``record_retention`` after its basis ended."""
    ended = basis_ended_at(alert)
    return None if ended is None else record_retention.after(ended)


def next_purge_at(alert: Alert) -> datetime | None:
    """The next time positions or copies of this alert are due for purge (None: none left)."""
    due: list[datetime] = []
    if alert.positions:
        due.append(positions_purge_at(alert))
    if alert.copies_purged_at is None:
        due.append(copies_purge_at(alert))
    return min(due) if due else None


@dataclass
class Purged:
    """What one alert's purge removed (counts only: a run logs them, never contents)."""

    positions: int = 0
    copies: bool = False
    anonymised: bool = False

    @property
    def anything(self) -> bool:
        return bool(self.positions or self.copies or self.anonymised)


def purge(alert: Alert, now: datetime, record_retention: Period) -> Purged:
    """Remove what is due at ``now``; running it again removes nothing more."""
    purged = Purged()
    if alert.positions and now >= positions_purge_at(alert):
        purged.positions = len(alert.positions)
        alert.positions = []
        alert.note(now, SYSTEM, "positions-purged", f"{purged.positions} position(s), retention over")
    if alert.copies_purged_at is None and now >= copies_purge_at(alert):
        alert.device.dossier = None
        alert.copies_purged_at = now
        purged.copies = True
    record = record_purge_at(alert, record_retention)
    if alert.anonymised_at is None and record is not None and now >= record and not alert.is_open:
        anonymise(alert, now)
        purged.anonymised = True
    return purged


def anonymise(alert: Alert, now: datetime) -> None:
    """Keep what statistics need (jurisdiction, dates, outcome, result, counts, delays of
    the deliveries); drop the journal (conversations), answers, operators, positions,
    device, press ids and trace context."""
    device = alert.device
    alert.device = DeviceFacts(
        device_id=ANONYMOUS, known=device.known, jurisdiction=device.jurisdiction, department=device.department
    )
    alert.presses = [Press(press_id=str(n), at=p.at) for n, p in enumerate(alert.presses, 1)]
    alert.positions = []
    alert.answers = {}
    alert.operator = None
    alert.traceparent = None
    alert.position_retention = None
    alert.journal = [JournalEntry(at=now, actor=SYSTEM, kind="anonymised")]
    alert.copies_purged_at = alert.copies_purged_at or now
    alert.anonymised_at = now


def authorise_positions(alert: Alert, grant: PositionRetentionAuthorisation, now: datetime) -> bool:
    """The prosecutor's authorisation to keep the positions 8 days. Refused once the 72
    hours are over (whether or not the purge has run yet: the rule does not depend on a
    timer's timing). A second authorisation changes nothing (the first is kept)."""
    if alert.position_retention is not None:
        return False
    if now >= alert.raised_at + POSITION_RETENTION:
        raise RetentionOver()
    alert.position_retention = PositionRetention(authorised_by=grant.authorised_by, client_id=grant.client_id, at=now)
    alert.note(now, grant.client_id, "position-retention-authorised", f"8 days, authorised by {grant.authorised_by}")
    return True


def retention_view(alert: Alert) -> PositionRetentionView:
    grant = alert.position_retention
    return PositionRetentionView(
        alert_id=alert.alert_id,
        extended=grant is not None,
        positions_purge_at=positions_purge_at(alert),
        authorised_by=grant.authorised_by if grant else None,
        client_id=grant.client_id if grant else None,
        authorised_at=grant.at if grant else None,
    )


def end_basis(alert: Alert, ended_at: datetime) -> bool:
    """The attribution ended (``device_returned``): the record's retention starts. A
    replay changes nothing."""
    if alert.basis_ended_at is not None or alert.anonymised_at is not None:
        return False
    alert.basis_ended_at = ended_at
    return True


@dataclass
class RetentionRun:
    """Counts of one retention run (logged; never what was purged)."""

    alerts: int = 0
    positions_purged: int = 0
    copies_purged: int = 0
    alerts_anonymised: int = 0
    devices_wiped: int = 0

    def add(self, purged: Purged) -> None:
        self.alerts += 1 if purged.anything else 0
        self.positions_purged += purged.positions
        self.copies_purged += int(purged.copies)
        self.alerts_anonymised += int(purged.anonymised)

    def summary(self) -> str:
        return (
            f"positions_purged={self.positions_purged} dossier_copies_purged={self.copies_purged} "
            f"alerts_anonymised={self.alerts_anonymised} devices_wiped={self.devices_wiped}"
        )
