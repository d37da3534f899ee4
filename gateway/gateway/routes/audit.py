"""``GET /v1/audit``: the access log (journal des accès), for the administrator (every
jurisdiction) and the competent prosecutor's office (its own jurisdictions)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class AuditEntry(BaseModel):
    seq: int
    at: str
    client_id: str
    role: str
    action: str
    object_id: str | None
    jurisdiction: str | None
    status: int
    reason: str | None
    request_id: str | None
    prev: str
    hash: str


class AuditPage(BaseModel):
    items: list[AuditEntry]
    total: int
    chain_intact: bool
    first_broken_seq: int | None


@router.get(
    "",
    response_model=AuditPage,
    summary="Who read or changed which personal data, when and why (newest first)",
    description="`chain_intact` is false when an entry of the log was modified, inserted or removed.",
    responses=error_responses(ErrorCode.INVALID_REQUEST),
)
async def audit_log(
    request: Request,
    jurisdiction: Annotated[str | None, Query(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")] = None,
    object_id: Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")] = None,
    client_id: Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AuditPage:
    principal = request.state.principal
    scope = None if principal.national else principal.jurisdictions
    if jurisdiction is not None:
        scope = frozenset({jurisdiction})  # the access guard checked it is the caller's
    log = request.app.state.audit
    items, total = log.query(scope, object_id=object_id, client_id=client_id, limit=limit, offset=offset)
    broken = log.verify()
    return AuditPage(items=items, total=total, chain_intact=broken is None, first_broken_seq=broken)
