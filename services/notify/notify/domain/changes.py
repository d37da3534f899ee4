"""After the forces were informed, pure: her move (changement de domicile), her new
terminal (remplacement) and the end of the measure (retrait, incarcération de l'auteur,
fin de période).

A move re-informs: the unit of her new home gets a ``home_changed`` notice with what it
needs (and the directorates of the department theirs), the unit she left a
``moved_away`` notice with ids only; notices of earlier rounds still unacknowledged are
superseded (no more re-sends); ``forces_informed`` follows once the new round is
acknowledged, dated ``home_since`` so that a late, older one is ignored. A commune
missing from the directory is escalated to the command centre at once.

A replaced terminal re-informs every unit still serving her: each gets a
``device_replaced`` notice with its own view of her and the author (as at attribution)
and both terminals' ids; earlier notices still unacknowledged are superseded;
``forces_informed`` follows once they all acknowledge, naming the new terminal.

The end of a measure is told to every unit that was informed and still serves her
(not one she left), ids and the reason only; what the forces were told of her and of
the author is dropped from this service's state at that moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from notify.domain import new_notice, targets
from notify.domain.directory import Directory, ForceUnit
from notify.domain.state import Information, Message, Notice, escalation, notice_message
from tgd_contracts.device import BeneficiaryMoved
from tgd_contracts.dossier import Dossier
from tgd_contracts.force_notice import NoticePurpose
from tgd_contracts.handling import DeviceReplaced
from tgd_contracts.notice import RecipientRole
from tgd_contracts.partners import Audience
from tgd_contracts.release import AuthorRelease


def _unit_of(n: Notice) -> ForceUnit:
    return ForceUnit(n.audience, n.department, n.unit_code, n.unit_name)


def _superseded(notices: tuple[Notice, ...]) -> tuple[Notice, ...]:
    return tuple(n.model_copy(update={"superseded": True}) if n.pending else n for n in notices)


def move(
    info: Information,
    event: BeneficiaryMoved,
    directory: Directory,
    dossier: Dossier | None,
    now: datetime,
    new_id: Callable[[], str],
) -> tuple[Information, list[Message]]:
    """Re-inform for her new home (a replayed or older move changes nothing)."""
    if info.status in ("ending", "ended") or (info.home_since is not None and event.moved_at <= info.home_since):
        return info, []
    current = [n for n in info.notices if not n.superseded and n.role == RecipientRole.COMPETENT]
    old_unit = _unit_of(current[-1]) if current else None
    commune = directory.commune(event.home_insee_code)
    base = {
        "notices": _superseded(info.notices),
        "home_insee_code": event.home_insee_code,
        "department": event.department,
        "home_since": event.moved_at,
        "informed_at": None,
    }
    fresh: list[Notice] = []
    if old_unit is not None and (
        commune is None or (commune.unit.audience, commune.unit.code) != (old_unit.audience, old_unit.code)
    ):
        fresh.append(new_notice(old_unit, RecipientRole.FORMER, NoticePurpose.MOVED_AWAY, None, now, new_id))
    messages: list[Message] = []
    if commune is None:
        changed = info.model_copy(update={**base, "status": "unroutable", "escalated_at": now})
        messages.append(escalation(changed, Audience.COMMAND, "unknown-commune", new_id(), now))
    else:
        fresh += [
            new_notice(unit, role, NoticePurpose.HOME_CHANGED, dossier, now, new_id)
            for unit, role in targets(commune, directory)
        ]
        changed = info.model_copy(update={**base, "status": "informing"})
    changed = changed.model_copy(update={"notices": (*changed.notices, *fresh)})
    return changed, [*messages, *(notice_message(changed, n, now) for n in fresh)]


def replace_device(
    info: Information, event: DeviceReplaced, dossier: Dossier | None, now: datetime, new_id: Callable[[], str]
) -> tuple[Information, list[Message]]:
    """Her new terminal told to every unit serving her (a replay, or a measure ended, changes nothing)."""
    if info.status in ("ending", "ended") or info.device_id == event.device_id:
        return info, []
    serving = [n for n in _serving(info) if n.role != RecipientRole.FORMER]
    if info.status == "unroutable" or not serving:  # no unit known for her home: the command centre was told
        return info.model_copy(update={"device_id": event.device_id}), []
    fresh = tuple(
        new_notice(_unit_of(n), n.role, NoticePurpose.DEVICE_REPLACED, dossier, now, new_id).model_copy(
            update={"previous_device_id": event.previous_device_id}
        )
        for n in serving
    )
    changed = info.model_copy(
        update={
            "notices": (*_superseded(info.notices), *fresh),
            "device_id": event.device_id,
            "status": "informing",
            "informed_at": None,
        }
    )
    return changed, [notice_message(changed, n, now) for n in fresh]


def author_released(
    info: Information, release: AuthorRelease, now: datetime, new_id: Callable[[], str]
) -> tuple[Information, list[Message]]:
    """The units serving her are told the author is released (ids and the release only);
    the same release reported again changes nothing."""
    if info.status in ("ending", "ended") or any(n.author_release == release for n in info.notices):
        return info, []
    fresh = tuple(
        new_notice(_unit_of(n), n.role, NoticePurpose.AUTHOR_RELEASED, None, now, new_id).model_copy(
            update={"author_release": release}
        )
        for n in _serving(info)
    )
    changed = info.model_copy(update={"notices": (*info.notices, *fresh)})
    return changed, [notice_message(changed, n, now) for n in fresh]


def _serving(info: Information) -> list[Notice]:
    """One notice per unit still serving her (not one she left)."""
    latest: dict[tuple[str, str, str], Notice] = {}
    for n in info.notices:
        latest[(n.audience, n.department, n.unit_code)] = n
    return [n for n in latest.values() if n.purpose != NoticePurpose.MOVED_AWAY]


def end(info: Information, because: str, now: datetime, new_id: Callable[[], str]) -> tuple[Information, list[Message]]:
    """Tell every unit still serving her that the measure ended (once)."""
    if info.status in ("ending", "ended"):
        return info, []
    serving = _serving(info)
    forgotten = tuple(n.model_copy(update={"beneficiary": None, "author": None}) for n in _superseded(info.notices))
    fresh = tuple(new_notice(_unit_of(n), n.role, NoticePurpose.MEASURE_ENDED, None, now, new_id) for n in serving)
    changed = info.model_copy(
        update={
            "notices": (*forgotten, *fresh),
            "status": "ending" if fresh else "ended",
            "ended_at": now,
            "ended_because": because,
        }
    )
    return changed, [notice_message(changed, n, now) for n in fresh]
