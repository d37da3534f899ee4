"""Where she is, and who can send a patrol there (pure; DOMAIN.md "How an alert reaches
a patrol").

- her position routes the alert only when she consented to geolocation (the dossier's
  ``geolocation_consent``), the fix is recent (``max_fix_age``) and precise enough
  (``max_accuracy_m``); otherwise her home does (its zone from ``forces_informed``,
  else the directory's zone of the dossier's home commune, else the department's);
- position -> nearest commune centre (:mod:`alert.domain.places`) -> department; the commune's
  zone (police or gendarmerie) comes from the force directory, else the department's
  default zone (:mod:`tgd_contracts.centres`);
- the department and zone name the 24/7 operations centre (CIC / CORG), its backup and
  the ladder walked when nobody acknowledges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from alert.domain.lifecycle import consent_of
from alert.domain.model import Alert, LadderRung
from alert.domain.places import Places
from tgd_contracts.alert import Located, Position, PositionStatus, Recipient, RoutingBasis
from tgd_contracts.centres import OperationsCentres
from tgd_contracts.force_directory import Directory
from tgd_contracts.partners import Audience


@dataclass(frozen=True)
class PositionPolicy:
    #: a fix older than this (against the time of the dispatch) does not route the alert
    max_fix_age: timedelta = timedelta(minutes=10)
    #: a fix whose accuracy radius is larger than this does not route the alert
    max_accuracy_m: float = 1_000.0


@dataclass(frozen=True)
class Territory:
    """The reference data routing needs, loaded once by the service."""

    places: Places
    directory: Directory
    centres: OperationsCentres
    policy: PositionPolicy = PositionPolicy()


def position_status(
    position: Position | None, consent: bool | None, now: datetime, policy: PositionPolicy
) -> PositionStatus:
    """May this position route the alert: her consent first (None: not known, so no),
    then the fix itself."""
    if consent is None:
        return PositionStatus.CONSENT_UNKNOWN
    if not consent:
        return PositionStatus.NO_CONSENT
    return fix_status(position, now, policy)


def fix_status(position: Position | None, now: datetime, policy: PositionPolicy) -> PositionStatus:
    """A fix is usable when recent and precise enough (its consent already checked)."""
    if position is None:
        return PositionStatus.NO_FIX
    if not (math.isfinite(position.accuracy_m) and position.accuracy_m <= policy.max_accuracy_m):
        return PositionStatus.INACCURATE
    if now - position.fixed_at > policy.max_fix_age:
        return PositionStatus.STALE
    return PositionStatus.USABLE


def zone_of(territory: Territory, insee_code: str | None, department: str) -> Audience | None:
    """The force of a commune: the directory's, else the department's default zone."""
    commune = territory.directory.commune(insee_code) if insee_code else None
    if commune is not None:
        return commune.unit.audience
    return territory.centres.default_zone(department)


def locate(
    territory: Territory,
    position: Position | None,
    status: PositionStatus,
    home_department: str | None,
    home_zone: Audience | None,
) -> Located:
    """Where the alert goes: where she is when the position is usable, else her home."""
    if status == PositionStatus.USABLE and position is not None:
        found = territory.places.nearest(position.lat, position.lon)
        if found is not None:
            place = found.place
            return Located(
                basis=RoutingBasis.POSITION,
                position_status=status,
                department=place.department.lower(),
                zone=zone_of(territory, place.insee_code, place.department),
                insee_code=place.insee_code,
                commune=place.name,
            )
        status = PositionStatus.OUTSIDE
    if home_department is None:
        return Located(basis=RoutingBasis.UNKNOWN, position_status=status)
    return Located(basis=RoutingBasis.HOME, position_status=status, department=home_department, zone=home_zone)


def ladder(territory: Territory, located: Located) -> list[LadderRung]:
    """The department's ladder for the zone where she is (empty: no centre known there)."""
    if located.department is None or located.zone is None:
        return []
    entry = territory.centres.entry(located.department, located.zone)
    if entry is None:
        return []
    rungs = []
    for step in entry.ladder:
        centre = entry.rung(step)
        recipient = Recipient(audience=Audience.COMMAND, territory=located.department, unit=centre.code)
        rungs.append(LadderRung(step=step, recipient=recipient, name=centre.name, phone=centre.phone))
    return rungs


def route(alert: Alert, now: datetime, territory: Territory) -> None:
    """Decide where she is and the ladder of centres there (kept on the alert: the
    escalation walks it without the directory, and the console shows it). Her consent
    is read from the same dossier copy that decided whether positions were kept."""
    position = alert.positions[-1] if alert.positions else None
    status = position_status(position, consent_of(alert.device), now, territory.policy)
    home_zone = _home_zone(alert, territory)
    located = locate(territory, position, status, alert.device.department, home_zone)
    rungs = ladder(territory, located)
    if not rungs and located.basis == RoutingBasis.POSITION:
        alert.note(now, "system", "no-centre-there", f"no centre known in {located.department}: her home's")
        located = locate(territory, None, status, alert.device.department, home_zone)
        rungs = ladder(territory, located)
    alert.located = located
    alert.ladder = rungs
    alert.note(now, "system", "located", _located_note(located))


def _home_zone(alert: Alert, territory: Territory) -> Audience | None:
    """The zone of her home: the unit the forces acknowledged (``forces_informed``), else
    the directory's zone of the dossier's home commune, else the department's default."""
    competent = alert.device.competent
    if competent is not None and competent.audience in (Audience.POLICE, Audience.GENDARMERIE):
        return competent.audience
    if alert.device.department is None:
        return None
    home = ((alert.device.dossier or {}).get("beneficiary") or {}).get("home") or {}
    return zone_of(territory, home.get("insee_code"), alert.device.department)


def _located_note(located: Located) -> str:
    where = f"{located.zone.value if located.zone else '?'} zone of {located.department or '?'}"
    return f"{located.basis.value} ({located.position_status.value}): {where}"
