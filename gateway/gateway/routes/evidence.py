"""Evidence export (pièces pour le parquet) and the right of access (droit d'accès).

- ``GET /v1/evidence/alerts/{alert_id}``: the complete history of one alert;
- ``GET /v1/evidence/measures/{referral_id}``: the complete history of one measure (the
  referral, the measure and its decisions, the device assignment, the notices to the
  forces, and every alert raised from the device during this attribution);
- ``GET /v1/subject-access/{referral_id}``: the same collection for a right-of-access
  request of the person concerned (``purpose = subject_access``);
- ``GET /v1/subject-access/{referral_id}/readers``: who read or changed that person's
  data, from the access log (client, role, route, time; ids only).

Each export is a signed archive (:mod:`tgd_contracts.evidence`, docs/evidence.md) built
from the services' answers; the access guard checks the competent jurisdiction before
anything is collected and records every export in the access log.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gateway.deps import Rpc, ServiceCaller
from gateway.errors import error_responses
from gateway.routes.bus_recipients import BusRecipient, bus_recipients
from tgd_contracts import evidence as ev
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import ServiceName
from tgd_servicekit import evidence_signing as sig

router = APIRouter(tags=["evidence"])
HexId = r"^[0-9a-f]{32}$"
AlertId = Annotated[str, Path(pattern=HexId, description="Alert id.")]
ReferralId = Annotated[str, Path(pattern=HexId, description="Referral id (the measure's id: one per signalement).")]
COMMON = (ErrorCode.INVALID_REQUEST, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_TIMEOUT)
ARCHIVE = {
    "description": "A signed evidence archive (docs/evidence.md).",
    "model": ev.EvidenceArchive,
    "content": {ev.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/EvidenceArchive"}}},
}
MISSING = (ErrorCode.ATTRIBUTION_NOT_FOUND, ErrorCode.DEVICE_NOT_FOUND, ErrorCode.REFERRAL_NOT_FOUND)


async def _part(rpc: ServiceCaller, service: str, method: str, **kwargs: Any) -> ev.EvidencePart:
    return ev.EvidencePart.consume(await rpc.call(service, method, **kwargs))


async def _optional_part(rpc: ServiceCaller, service: str, method: str, **kwargs: Any) -> ev.EvidencePart | None:
    """A part that may not exist yet (no device assigned, no notice sent) or any more."""
    try:
        return await _part(rpc, service, method, **kwargs)
    except TgdError as exc:
        if exc.code in MISSING:
            return None
        raise


async def alert_parts(rpc: ServiceCaller, alert_id: str) -> list[ev.EvidencePart]:
    return [await _part(rpc, ServiceName.ALERT, "alert_evidence", alert_id=alert_id)]


async def measure_parts(rpc: ServiceCaller, referral_id: str) -> list[ev.EvidencePart]:
    """Every service's part about one measure. Alerts are those raised from the measure's
    device while it was assigned to this attribution (a returned device reassigned to
    someone else brings none of the other person's alerts)."""
    measure = await _part(rpc, ServiceName.EVALUATION, "measure_evidence", referral_id=referral_id)
    parts = [measure]
    referral = await _optional_part(rpc, ServiceName.REFERRAL, "referral_evidence", referral_id=referral_id)
    parts += [referral] if referral else []
    for attribution_id in measure.related_ids.get("attribution_ids", []):
        device = await _optional_part(rpc, ServiceName.DEVICE, "assignment_evidence", attribution_id=attribution_id)
        notices = await _optional_part(rpc, ServiceName.NOTIFY, "information_evidence", attribution_id=attribution_id)
        parts += [p for p in (device, notices) if p]
        for device_id in device.related_ids.get("device_ids", []) if device else []:
            found = await rpc.call(
                ServiceName.ALERT, "alerts_of_device", device_id=device_id, attribution_id=attribution_id
            )
            related = ev.RelatedAlerts.consume(found)
            for alert_id in related.alert_ids:
                alert = await _part(rpc, ServiceName.ALERT, "alert_evidence", alert_id=alert_id)
                if alert.records.get("alert", {}).get("device", {}).get("attribution_id") == attribution_id:
                    parts.append(alert)
    return parts


def archive_response(
    request: Request, subject: ev.Subject, parts: list[ev.EvidencePart], purpose: ev.Purpose
) -> JSONResponse:
    principal = request.state.principal
    jurisdiction = parts[0].jurisdiction
    if jurisdiction is None:  # the guard found it competent: an object always has one here
        raise TgdError(code=ErrorCode.NOT_FOUND)
    archive = sig.build(
        subject,
        jurisdiction,
        parts,
        request.app.state.evidence_key,
        ev.Exporter(
            client_id=principal.client_id,
            role=principal.role.value,
            request_id=getattr(request.state, "request_id", None),
        ),
        datetime.now(UTC),
        purpose=purpose,
    )
    filename = f"tgd-evidence-{subject.kind.value}-{subject.id}.json"
    return JSONResponse(
        archive,
        media_type=ev.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/v1/evidence/alerts/{alert_id}",
    summary="Export the complete history of an alert as a signed evidence archive",
    description="For the competent prosecutor's office. The archive verifies with `tgd evidence verify`.",
    responses={200: ARCHIVE, **error_responses(ErrorCode.ALERT_NOT_FOUND, *COMMON)},
)
async def export_alert(alert_id: AlertId, request: Request, rpc: Rpc) -> JSONResponse:
    parts = await alert_parts(rpc, alert_id)
    return archive_response(request, ev.Subject(kind=ev.SubjectKind.ALERT, id=alert_id), parts, ev.Purpose.EVIDENCE)


def _measure_archive_route(path: str, purpose: ev.Purpose, name: str, summary: str, description: str) -> None:
    """A route exporting the archive of a measure, named by its referral id, for ``purpose``."""

    async def export(referral_id: ReferralId, request: Request, rpc: Rpc) -> JSONResponse:
        parts = await measure_parts(rpc, referral_id)
        return archive_response(request, ev.Subject(kind=ev.SubjectKind.MEASURE, id=referral_id), parts, purpose)

    responses = {200: ARCHIVE, **error_responses(ErrorCode.REFERRAL_NOT_FOUND, *COMMON)}
    router.add_api_route(path, export, name=name, summary=summary, description=description, responses=responses)


_measure_archive_route(
    "/v1/evidence/measures/{referral_id}",
    ev.Purpose.EVIDENCE,
    "export_measure",
    "Export the complete history of a measure (and its alerts) as a signed evidence archive",
    "For the competent prosecutor's office. The measure is named by its referral id.",
)
_measure_archive_route(
    "/v1/subject-access/{referral_id}",
    ev.Purpose.SUBJECT_ACCESS,
    "subject_access",
    "Right of access (droit d'accès): every datum held about the person of a referral",
    "Exercised through the competent prosecutor's office (arrêté du 22 avril 2015). "
    "The same signed archive as a measure's evidence, with `purpose = subject_access`.",
)


class Reader(BaseModel):
    at: str
    client_id: str
    role: str
    action: str
    object_id: str
    status: int
    reason: str | None


class Readers(BaseModel):
    referral_id: str
    jurisdiction: str
    object_ids: dict[str, list[str]]
    items: list[Reader]
    # who received her data on the bus (notices, alert dispatches), from the dispatch records
    recipients: list[BusRecipient] = []
    chain_intact: bool


async def _optional(rpc: ServiceCaller, service: str, method: str, **kwargs: Any) -> dict[str, Any]:
    try:
        return await rpc.call(service, method, **kwargs)
    except TgdError as exc:
        if exc.code in MISSING:
            return {}
        raise


async def person_ids(rpc: ServiceCaller, referral_id: str) -> tuple[str, dict[str, list[str]]]:
    """The ids under which the person's data is held (no personal data is read)."""
    measure = await rpc.call(ServiceName.EVALUATION, "get_measure", referral_id=referral_id)
    ids: dict[str, list[str]] = {"referral_ids": [referral_id]}
    attribution_id = measure.get("attribution_id")
    if attribution_id:
        ids["attribution_ids"] = [attribution_id]
        assignment = await _optional(rpc, ServiceName.DEVICE, "get_assignment", attribution_id=attribution_id)
        information = await _optional(rpc, ServiceName.NOTIFY, "get_information", attribution_id=attribution_id)
        ids["notice_ids"] = sorted(n["notice_id"] for n in information.get("notices", []))
        device_id = assignment.get("device_id")
        if device_id:
            ids["device_ids"] = [device_id]
            related = await rpc.call(
                ServiceName.ALERT, "alerts_of_device", device_id=device_id, attribution_id=attribution_id
            )
            ids["alert_ids"] = ev.RelatedAlerts.consume(related).alert_ids
    return measure["jurisdiction"], ids


@router.get(
    "/v1/subject-access/{referral_id}/readers",
    response_model=Readers,
    summary="Who read or changed the data of the person of a referral (from the access log)",
    description="Entries of the access log naming the person's referral, attribution, device, notices or "
    "alerts, oldest first, and `recipients`: the units and partners her data was sent to on the bus "
    "(notices, alert dispatches). Ids and codes only. `chain_intact` is false when the log was altered.",
    responses=error_responses(ErrorCode.REFERRAL_NOT_FOUND, *COMMON),
)
async def readers(referral_id: ReferralId, request: Request, rpc: Rpc) -> Readers:
    jurisdiction, ids = await person_ids(rpc, referral_id)
    wanted = {i for values in ids.values() for i in values}
    log = request.app.state.audit
    items = [Reader.model_validate(e) for e in log.entries() if e.get("object_id") in wanted]
    return Readers(
        referral_id=referral_id,
        jurisdiction=jurisdiction,
        object_ids=ids,
        items=items,
        recipients=await bus_recipients(rpc, ids),
        chain_intact=log.verify() is None,
    )
