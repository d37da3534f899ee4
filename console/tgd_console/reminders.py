"""The reminders (rappels) a person's screen shows: the deadlines of the measures of her
court addressed to her partner (docs/lifecycle.md: test calls to the association;
requisitions overdue, measures ending, renewals to decide to the parquet and the
association; out of stock to the parquet and the platform), read from the gateway's
``GET /v1/reminders`` with her own token; each acknowledged there
(``POST /v1/reminders/{id}/acknowledgement``, :mod:`tgd_console.routes.reminders`)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request

from tgd_console.gateway import ApiRefused
from tgd_console.web import api

# a screen never waits long for its reminders (the notify service down: said, not waited for)
WAIT_S = 3.0
# where a reminder leads on each partner's screen
DOSSIER = {"prosecutor": "/parquet/referrals/{}", "association": "/association/referrals/{}"}
STOCK = {"prosecutor": "/parquet/stock?j={}"}


def ordered(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Overdue kinds first, then by deadline (none last), then the newest."""
    rows = [dict(i) for i in items]
    rows.sort(key=lambda r: str(r.get("raised_at") or ""), reverse=True)
    rows.sort(key=lambda r: str(r.get("due_at") or "9999"))
    rows.sort(key=lambda r: not str(r.get("kind", "")).endswith("overdue"))
    return rows


def link(role: str, reminder: Mapping[str, Any]) -> str | None:
    """The page where the partner acts on it: the dossier of its referral, or the stock."""
    if reminder.get("referral_id") and role in DOSSIER:
        return DOSSIER[role].format(reminder["referral_id"])
    if reminder.get("kind") == "out_of_stock" and role in STOCK:
        return STOCK[role].format(reminder["jurisdiction"])
    return None


async def pending(request: Request, courts: Iterable[str]) -> tuple[list[dict[str, Any]], str | None]:
    """The pending reminders of these courts addressed to the person, and an error code
    when a court's could not be read (the others are shown)."""
    courts = list(courts)
    calls = asyncio.gather(
        *(api(request, "GET", "/v1/reminders", params={"jurisdiction": j}) for j in courts), return_exceptions=True
    )
    try:
        answers = await asyncio.wait_for(calls, WAIT_S)
    except TimeoutError:
        return [], "service_timeout"
    items: list[dict[str, Any]] = []
    error = None
    for answer in answers:
        if isinstance(answer, ApiRefused):
            error = answer.code
        elif isinstance(answer, BaseException):
            raise answer
        else:
            items.extend(answer["items"])
    role = request.state.person.role
    return [{**r, "link": link(role, r)} for r in ordered(items)], error
