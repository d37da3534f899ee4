"""Hand-over of a court to another teleassistance operator (reprise des dossiers):
``POST /v1/handovers`` exports every measure in progress of one court (referral, measure
and reports, device assignment with the dossier, notices, alerts) and the court's
terminals as ONE archive signed with the evidence key and sealed for the receiving
operator (:mod:`tgd_contracts.handover`, docs/handover.md).

Only the court's parquet may ask (it controls the processing, seed 002 §E.II), with a
reason (X-Access-Reason), and only for a receiving operator configured by this
platform's operations team (TGD_HANDOVER_RECIPIENT_KEYS): two parties, and the archive
is unreadable to both. The content is built in memory and never logged or kept.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.auth.answer_guard import Answer
from gateway.deps import Rpc
from gateway.errors import error_responses
from gateway.routes.evidence import measure_parts
from tgd_contracts import evidence as ev
from tgd_contracts import handover as ho
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import ServiceName
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.measure_reads import MeasurePage
from tgd_servicekit import handover_signing as hos

router = APIRouter(tags=["evidence"])
PAGE = 500  # the evaluation service's largest page: a court with more is refused, not cut
ARCHIVE = {
    "description": "A signed hand-over archive, sealed for the receiving operator (docs/handover.md).",
    "model": ho.HandoverArchive,
    "content": {ho.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/HandoverArchive"}}},
}


@router.post(
    "/v1/handovers",
    summary="Export a court's measures in progress, dossiers and devices for another operator (signed, sealed)",
    description="For the court's parquet, with a reason. `recipient` names a receiving operator configured by "
    "this platform (TGD_HANDOVER_RECIPIENT_KEYS); the content is encrypted for it. Import with "
    "`tgd handover import`.",
    responses={
        200: ARCHIVE,
        **error_responses(
            ErrorCode.INVALID_REQUEST,
            ErrorCode.UNKNOWN_JURISDICTION,
            ErrorCode.SERVICE_UNAVAILABLE,
            ErrorCode.SERVICE_TIMEOUT,
        ),
    },
)
async def export_court(answer: Answer, body: ho.HandoverRequest, request: Request, rpc: Rpc) -> JSONResponse:
    recipient = request.app.state.handover_recipients.get(body.recipient)
    if recipient is None:
        raise TgdError(f"{body.recipient!r} is not a receiving operator configured on this platform.",
                       code=ErrorCode.INVALID_REQUEST)  # fmt: skip
    court = JURISDICTIONS.get(body.jurisdiction)
    if court is None:
        raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
    page = MeasurePage.consume(
        await rpc.call(
            ServiceName.EVALUATION, "list_measures", jurisdiction=body.jurisdiction, status="active", limit=PAGE
        )
    )
    if len(page.items) >= PAGE:
        raise TgdError(f"The court has {PAGE} measures in progress or more: export it with the operator's help.",
                       code=ErrorCode.INVALID_REQUEST)  # fmt: skip
    measures = {m.referral_id: await measure_parts(rpc, m.referral_id) for m in page.items}
    stock = await rpc.call(ServiceName.DEVICE, "handover_terminals", jurisdiction=body.jurisdiction)  # IMEI included
    content = ho.HandoverContent(jurisdiction=body.jurisdiction, measures=measures, devices=list(stock["items"]))
    principal = request.state.principal
    exporter = ev.Exporter(client_id=principal.client_id, role=principal.role.value,
                           request_id=getattr(request.state, "request_id", None))  # fmt: skip
    try:
        archive = hos.build(content, court.department, body.recipient, recipient, request.app.state.evidence_key,
                           exporter, datetime.now(UTC))  # fmt: skip
    except hos.HandoverError:  # a service answered records of another court: nothing is exported
        raise TgdError("The services' records do not all belong to this court: nothing exported.",
                       code=ErrorCode.INTERNAL_ERROR) from None  # fmt: skip
    filename = f"tgd-handover-{body.jurisdiction}-{archive['manifest']['archive_id']}.json"
    return JSONResponse(answer.checked(archive), media_type=ho.MEDIA_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip
