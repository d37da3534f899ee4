"""Reads both partners' screens share: a court's measures by referral, one dossier."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from tgd_console import labels, reminders, view
from tgd_console.gateway import ApiRefused
from tgd_console.web import api, now
from tgd_contracts.associations import associations_of


async def measures_of(request: Request, jurisdiction: str) -> dict[str, Any]:
    found = await api(request, "GET", "/v1/measures", params={"jurisdiction": jurisdiction})
    return view.by_referral(found["items"])


async def reminders_of(request: Request, jurisdiction: str) -> dict[str, Any]:
    """The court's pending reminders addressed to the person, for her home page."""
    items, failed = await reminders.pending(request, [jurisdiction])
    return {
        "reminders": items,
        "reminders_error": labels.error(failed) if failed else None,
        "back": f"{request.url.path}?j={jurisdiction}",
        "done": request.query_params.get("fait"),
    }


async def dossier_context(request: Request, referral_id: str) -> dict[str, Any]:
    """The referral, its measure in full (reports with the grid's items), the device side."""
    try:
        referral = await api(request, "GET", f"/v1/referrals/{referral_id}")
        record = await api(request, "GET", f"/v1/referrals/{referral_id}/measure/record")
        instruments = (await api(request, "GET", "/v1/instruments"))["instruments"]
    except ApiRefused as exc:
        return {"referral": None, "record": None, "error": labels.error(exc.code), "instruments": []}
    assignment = None
    attribution_id = record["measure"].get("attribution_id")
    if attribution_id and record["measure"]["status"] in ("active", "withdrawn", "expired"):
        try:
            assignment = await api(request, "GET", f"/v1/attributions/{attribution_id}/device")
        except ApiRefused:
            assignment = None
    try:
        follow_up = await api(request, "GET", f"/v1/referrals/{referral_id}/contacts")
    except ApiRefused:
        follow_up = None
    try:
        orientations = (await api(request, "GET", f"/v1/referrals/{referral_id}/orientations"))["orientations"]
    except ApiRefused:
        orientations = None
    reports = [
        {
            **r,
            "answers": view.answers_by_item(r.get("report")),
            "instrument": view.instrument_of(instruments, r["instrument_id"], r["instrument_version"]),
        }
        for r in record["reports"]
    ]
    return {
        "court": referral["jurisdiction"],
        "associations": associations_of(referral["jurisdiction"]),
        "referral": referral,
        "record": record,
        "measure": record["measure"],
        "reports": reports,
        "assignment": assignment,
        "follow_up": follow_up,
        "orientations": orientations,
        "contact_late": bool(follow_up) and view.overdue(follow_up.get("next_contact_due"), now()),
        "instruments": instruments,
        "late": view.overdue(record.get("report_due_on"), now())
        and record["measure"]["status"] == "evaluation_requested",
        "done": request.query_params.get("fait"),
    }
