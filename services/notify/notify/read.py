"""What the notify service shows (pure): an information with its notices, one notice, and the notify
side of a measure's evidence (the notices to the forces, their re-sends, escalations
and acknowledgements, and the events still retained)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from notify import domain
from tgd_contracts.evidence import EvidencePart, SubjectKind, service_part
from tgd_contracts.notice import InformationView, NoticeView


def notice(info: domain.Information | None, notice_id: str) -> NoticeView | None:
    """The notice ``notice_id`` as its unit sees it (None: not one of this information's)."""
    found = [n for n in view(info).notices if n.notice_id == notice_id] if info else []
    return found[0] if found else None


def evidence(attribution_id: str, state: dict[str, Any], events: list[dict[str, Any]], now: datetime) -> EvidencePart:
    return service_part(
        "notify", SubjectKind.MEASURE, attribution_id, state.get("jurisdiction"), {"information": state}, events, now
    )


def view(info: domain.Information) -> InformationView:
    return InformationView(
        attribution_id=info.attribution_id,
        status=info.status,
        notices=[
            NoticeView(
                notice_id=n.notice_id,
                attribution_id=info.attribution_id,
                audience=n.audience,
                department=n.department,
                unit_code=n.unit_code,
                unit_name=n.unit_name,
                role=n.role,
                routing_key=n.routing_key,
                attempts=n.attempts,
                acknowledged_at=n.acknowledged_at,
                escalated_at=n.escalated_at,
                sip_registration=n.sip_registration,
                purpose=n.purpose,
                superseded=n.superseded,
            )
            for n in info.notices
        ],
    )
