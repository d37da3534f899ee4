"""Informing the forces of an attribution (seed 002 §D; seed 001 actions 8 and 11), pure.

On ``device_provisioned``: a notice to the unit competent for the beneficiary's home
(police or gendarmerie zone, by INSEE code), one to that force's departmental
directorate and one to the other force's (cross-informing); each carries what that
recipient needs of her and the author (:mod:`notify.domain.views`); the gendarmerie is asked
to register her in its SIP base. Each recipient acknowledges; when all have,
``forces_informed``. A notice not acknowledged is re-sent every ``resend_after`` and
escalated to the departmental command centre after ``escalate_after``. An unknown
commune is escalated at once. Her move and the end of the measure: :mod:`notify.domain.changes`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from notify.domain.directory import Commune, Directory, ForceUnit, other_force, unit_identity
from notify.domain.state import (
    ESCALATION,
    NOTICE,
    Information,
    Message,
    Notice,
    Policy,
    escalation,
    notice_message,
    routing_key,
)
from notify.domain.views import force_view
from notify.exceptions import NoticeNotFound
from tgd_contracts.device import DeviceProvisioned, ForcesInformed, InformedUnit
from tgd_contracts.dossier import Dossier
from tgd_contracts.events import EventName
from tgd_contracts.force_notice import NoticePurpose
from tgd_contracts.notice import NoticeAcknowledgement, RecipientRole
from tgd_contracts.partners import Audience
from tgd_servicekit.projection import project

__all__ = ["ESCALATION", "NOTICE", "Information", "Message", "Notice", "Policy", "routing_key"]


def targets(commune: Commune, directory: Directory) -> list[tuple[ForceUnit, RecipientRole]]:
    """The unit competent for the commune, its force's directorate, the other force's."""
    found: list[tuple[ForceUnit, RecipientRole]] = [(commune.unit, RecipientRole.COMPETENT)]
    own = directory.directorate(commune.department, commune.unit.audience)
    if own is not None and own.code != commune.unit.code:
        found.append((own, RecipientRole.DIRECTORATE))
    other = directory.directorate(commune.department, other_force(commune.unit.audience))
    if other is not None:
        found.append((other, RecipientRole.OTHER_FORCE))
    return found


def new_notice(
    unit: ForceUnit,
    role: RecipientRole,
    purpose: NoticePurpose,
    dossier: Dossier | None,
    now: datetime,
    new_id: Callable[[], str],
) -> Notice:
    beneficiary, author = force_view(dossier, role) if dossier is not None else (None, None)
    return Notice(
        notice_id=new_id(),
        **unit_identity(unit),
        role=role,
        first_sent_at=now,
        last_sent_at=now,
        sip_registration="requested"
        if unit.audience == Audience.GENDARMERIE and purpose != NoticePurpose.MEASURE_ENDED
        else None,
        purpose=purpose,
        beneficiary=beneficiary,
        author=author,
    )


def inform(
    event: DeviceProvisioned,
    directory: Directory,
    dossier: Dossier | None,
    now: datetime,
    new_id: Callable[[], str],
) -> tuple[Information, list[Message]]:
    """The notices for a provisioned device, or an immediate escalation if the commune is unknown."""
    base = {
        "attribution_id": event.attribution_id,
        "device_id": event.device_id,
        "jurisdiction": event.jurisdiction,
        "department": event.department,
        "home_insee_code": event.home_insee_code,
        "home_since": event.provisioned_at,
    }
    commune = directory.commune(event.home_insee_code)
    if commune is None:
        info = Information(**base, status="unroutable", escalated_at=now)
        return info, [escalation(info, Audience.COMMAND, "unknown-commune", new_id(), now)]
    notices = tuple(
        new_notice(unit, role, NoticePurpose.ATTRIBUTION, dossier, now, new_id)
        for unit, role in targets(commune, directory)
    )
    info = Information(**base, status="informing", notices=notices)
    return info, [notice_message(info, n, now) for n in notices]


def acknowledge(
    info: Information,
    notice_id: str,
    ack: NoticeAcknowledgement,
    now: datetime,
    addressee: tuple[str, str] | None = None,
) -> tuple[Information, list[Message]]:
    """Accusé de réception by the addressed unit; the last one makes ``forces_informed``.
    ``addressee`` (audience, department), when the routing key of an AMQP reply gave it,
    must be the notice's too."""
    found = next(
        (
            n
            for n in info.notices
            if n.notice_id == notice_id
            and n.unit_code == ack.unit_code
            and (addressee is None or (n.audience.value, n.department) == addressee)
        ),
        None,
    )
    if found is None:
        raise NoticeNotFound()
    if found.acknowledged_at is not None:
        return info, []  # a repeated acknowledgement changes nothing
    sip = "registered" if found.sip_registration and ack.sip_registered else found.sip_registration
    updated = found.model_copy(
        update={"acknowledged_at": now, "acknowledged_by": ack.acknowledged_by, "sip_registration": sip}
    )
    notices = tuple(updated if n.notice_id == notice_id else n for n in info.notices)
    changed = info.model_copy(update={"notices": notices})
    if any(n.pending for n in notices):
        return changed, []
    if info.status == "ending":
        return changed.model_copy(update={"status": "ended"}), []
    if info.status != "informing":
        return changed, []
    return changed.model_copy(update={"status": "informed", "informed_at": now}), [forces_informed(changed, now)]


def forces_informed(info: Information, now: datetime) -> Message:
    """The units serving her current home (the latest round of notices), for the alert service."""
    current = [n for n in info.notices if not n.superseded and n.role != RecipientRole.FORMER]
    units = [project(InformedUnit, n) for n in current]
    competent = [u for u, n in zip(units, current, strict=True) if n.role == RecipientRole.COMPETENT]
    others = [u for u, n in zip(units, current, strict=True) if n.role != RecipientRole.COMPETENT]
    event = ForcesInformed(
        attribution_id=info.attribution_id,
        device_id=info.device_id,
        jurisdiction=info.jurisdiction,
        competent=competent[-1],
        also_informed=others,
        acknowledged_at=now,
        home_since=info.home_since,
    )
    return EventName.FORCES_INFORMED.value, event


def tick(info: Information, now: datetime, policy: Policy) -> tuple[Information, list[Message]]:
    """Re-send what is not acknowledged; escalate what stays unacknowledged too long."""
    if info.status == "ended":
        return info, []
    messages: list[Message] = []
    notices = []
    for n in info.notices:
        if n.pending:
            if n.escalated_at is None and now >= policy.escalate_after.after(n.first_sent_at):
                messages.append(escalation(info, n.audience, n.unit_code, n.notice_id, n.first_sent_at))
                n = n.model_copy(update={"escalated_at": now})
            if now >= policy.resend_after.after(n.last_sent_at):
                n = n.model_copy(update={"attempts": n.attempts + 1, "last_sent_at": now})
                messages.append(notice_message(info, n, now))
        notices.append(n)
    return info.model_copy(update={"notices": tuple(notices)}), messages


def next_deadline(info: Information, policy: Policy) -> datetime | None:
    """When :func:`tick` has something to do next (stored, so the timer queries only what is due)."""
    if info.status == "ended":
        return None
    times = []
    for n in info.notices:
        if n.pending:
            times.append(policy.resend_after.after(n.last_sent_at))
            if n.escalated_at is None:
                times.append(policy.escalate_after.after(n.first_sent_at))
    return min(times, default=None)
