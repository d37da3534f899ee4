"""The partners' side of a measure: her move after provisioning, the reminders each
partner acts on, the directory of referents (annuaire des référents), and the reference
data partners read (courts, risk instruments)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from gateway.auth.answer_guard import Answer
from gateway.auth.roles import Role
from gateway.auth.rules import AUDIENCE_OF_ROLE
from gateway.deps import Rpc
from gateway.errors import error_responses
from gateway.routes.forward import BODY_ERRORS, UNAVAILABLE, Forward, hex_id, jurisdiction_query, with_examples
from tgd_contracts.directory import ReferentDirectory
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.instruments import InstrumentList
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.reference import CourtList, CourtView
from tgd_contracts.release import AuthorRelease
from tgd_contracts.reminders import AuthorReleaseReceipt, ReminderAcknowledgement, ReminderPage, ReminderView
from tgd_contracts.stock import AssignmentView, HomeChange

router = APIRouter(tags=["partners"])


def association_unit(request: Request) -> str | None:
    """An association's token naming its association (a court may have several): the
    service then leaves out what is addressed to another one."""
    principal = getattr(request.state, "principal", None)
    return principal.unit if principal is not None and principal.role == Role.ASSOCIATION else None


def addressed_to(page: dict, role: Role) -> dict:
    """The reminders of a page addressed to the caller's own audience (the parquet's to
    the parquet...): a partner never reads another's."""
    audience = AUDIENCE_OF_ROLE.get(role)
    items = page.get("items") if isinstance(page, dict) else None
    if not isinstance(items, list):
        return page
    return {**page, "items": [i for i in items if isinstance(i, dict) and i.get("audience") == audience]}


AttributionId = hex_id("Attribution id (décision d'attribution).")
ReminderId = hex_id("Reminder id, as received.")
Jurisdiction = jurisdiction_query("Tribunal judiciaire: tj-moulins.")
device, notify = Forward(router, ServiceName.DEVICE), Forward(router, ServiceName.NOTIFY)


@device.post(
    "/v1/attributions/{attribution_id}/home",
    AssignmentView,
    ErrorCode.ATTRIBUTION_NOT_FOUND,
    ErrorCode.INVALID_STATE,
    ErrorCode.HOME_OUTSIDE_DEPARTMENT,
)
def change_home(attribution_id: AttributionId, change: with_examples(HomeChange)):
    """Her new home after provisioning (changement de domicile)

    The fiche navette's home is replaced; the unit she left is told (ids only), the unit of her new home and the
    directorates get what they need of her and the author; alerts follow the new home. A home in another department
    is refused (home_outside_department): the measure must be transferred to that department's parquet. The same
    home again changes nothing."""


@notify.post(
    "/v1/attributions/{attribution_id}/author-release",
    AuthorReleaseReceipt,
    ErrorCode.ATTRIBUTION_NOT_FOUND,
    ErrorCode.INVALID_STATE,
)
def report_author_release(attribution_id: AttributionId, release: AuthorRelease):
    """Report the author's release or custody exit (libération / sortie de détention de l'auteur)

    By the SPIP or the parquet (source: your own audience, spip or parquet). The parquet, the association following
    her and the victims' office (BAV) get an author_released reminder (the association acknowledges it with
    beneficiary_informed_on, the day she was told); the units serving her get a notice (purpose author_released,
    ids only). Only for a measure in progress; reporting it again changes nothing."""


@router.get(
    "/v1/reminders",
    response_model=ReminderPage,
    summary="The reminders of a court addressed to the caller (rappels: appels test, réquisitions, fins de mesure, "
    "stock)",
    description="Newest first; only those addressed to the caller's audience (the parquet, the association, the "
    "teleassistance operator, the BAV); an association's token naming its association (unit) leaves out what is "
    "addressed to another association of the court. pending_only=false lists those already acknowledged too. "
    "The same reminders are published on tgd.partners as partner_reminder (<audience>.<jurisdiction>.<unit>.reminder).",
    responses=error_responses(ErrorCode.INVALID_REQUEST, ErrorCode.UNKNOWN_JURISDICTION, *UNAVAILABLE),
)
async def list_reminders(
    answer: Answer,
    request: Request,
    jurisdiction: Jurisdiction,
    rpc: Rpc,
    pending_only: Annotated[bool, Query(description="Only those not acknowledged yet.")] = True,
) -> dict:
    unit = association_unit(request)
    page = await rpc.call(
        ServiceName.NOTIFY, "list_reminders", jurisdiction=jurisdiction, pending_only=pending_only, unit=unit
    )
    return answer.checked(addressed_to(page, request.state.principal.role))


@router.post(
    "/v1/reminders/{reminder_id}/acknowledgement",
    response_model=ReminderView,
    summary="Acknowledge a reminder (rappel pris en compte)",
    description="By the partner it was addressed to; repeating it changes nothing.",
    responses=error_responses(ErrorCode.INVALID_REQUEST, *BODY_ERRORS, *UNAVAILABLE, ErrorCode.REMINDER_NOT_FOUND),
)
async def acknowledge_reminder(
    request: Request, reminder_id: ReminderId, body: ReminderAcknowledgement, rpc: Rpc
) -> dict:
    ack, unit = body.to_wire(), association_unit(request)
    return await rpc.call(
        ServiceName.NOTIFY, "acknowledge_reminder", reminder_id=reminder_id, acknowledgement=ack, unit=unit
    )


@notify.get("/v1/referents", ReferentDirectory, ErrorCode.UNKNOWN_JURISDICTION)
def referents(jurisdiction: Jurisdiction):
    """The referents of the forces in a court's department (annuaire des référents, seed 001 action 8)

    Each commissariat and brigade with the communes it serves and its referents, then the directorates (DDSP /
    DSPAP, groupement), from the force directory loaded by the notify service."""


@router.get(
    "/v1/courts",
    response_model=CourtList,
    summary="The courts (tribunaux judiciaires) and their departments",
    description="Reference data, loaded from the courts file at start (TGD_COURTS_FILE): the codes every request "
    "and routing key uses. A new court is a line in that file, not a release.",
    responses=error_responses(ErrorCode.INVALID_REQUEST),
)
async def courts() -> dict:
    items = [CourtView(code=j.code, name=j.name, department=j.department) for j in JURISDICTIONS.values()]
    return CourtList(courts=items).to_wire()


@Forward(router, ServiceName.EVALUATION).get("/v1/instruments", InstrumentList)
def list_instruments():
    """The risk instruments (grilles d'évaluation du danger) with every item

    Each grid's items with their labels and weights, and the scores from which the level is medium or high; the
    association fills a report with these item ids. Loaded by the evaluation service from its data file
    (EVALUATION_INSTRUMENTS_FILE)."""
