"""What the notify service shows (pure): an information with its notices, one notice, and the notify
side of a measure's evidence (the notices to the forces, their re-sends, escalations
and acknowledgements, and the events still retained)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from notify import domain
from tgd_contracts.evidence import EvidencePart, SubjectKind, service_part
from tgd_contracts.notice import InformationView, NoticeView
from tgd_servicekit.projection import project


def notice(info: domain.Information | None, notice_id: str) -> NoticeView | None:
    """The notice ``notice_id`` as its unit sees it (None: not one of this information's)."""
    found = [n for n in view(info).notices if n.notice_id == notice_id] if info else []
    return found[0] if found else None


def evidence(attribution_id: str, state: dict[str, Any], events: list[dict[str, Any]], now: datetime) -> EvidencePart:
    return service_part(
        "notify", SubjectKind.MEASURE, attribution_id, state.get("jurisdiction"), {"information": state}, events, now
    )


def view(info: domain.Information) -> InformationView:
    notices = [project(NoticeView, n, attribution_id=info.attribution_id) for n in info.notices]
    return project(InformationView, info, notices=notices)
