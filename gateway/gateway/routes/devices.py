"""The teleassistance operator's side: stock of terminals, fiche navette, test calls."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from gateway.auth.answer_guard import Answer
from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.examples.catalogue import openapi_examples
from tgd_contracts.handling import DeviceReplacement, DeviceRetirement, DeviceTransfer, HandOver
from tgd_contracts.stock import (
    AssignmentView,
    DeviceRecovery,
    DeviceRegistration,
    DeviceView,
    FicheNavette,
    StockPage,
    TestCall,
)

router = APIRouter(tags=["devices"])
HexId = r"^[0-9a-f]{32}$"
AttributionId = Annotated[str, Path(pattern=HexId, description="Attribution id (décision d'attribution).")]
DeviceId = Annotated[str, Path(pattern=HexId, description="Device id (terminal).")]
DeviceRegistrationBody = Annotated[DeviceRegistration, Body(openapi_examples=openapi_examples(DeviceRegistration))]
FicheNavetteBody = Annotated[FicheNavette, Body(openapi_examples=openapi_examples(FicheNavette))]
TestCallBody = Annotated[TestCall, Body(openapi_examples=openapi_examples(TestCall))]
DeviceRecoveryBody = Annotated[DeviceRecovery, Body(openapi_examples=openapi_examples(DeviceRecovery))]
DeviceTransferBody = Annotated[DeviceTransfer, Body(openapi_examples=openapi_examples(DeviceTransfer))]
DeviceRetirementBody = Annotated[DeviceRetirement, Body(openapi_examples=openapi_examples(DeviceRetirement))]
DeviceReplacementBody = Annotated[DeviceReplacement, Body(openapi_examples=openapi_examples(DeviceReplacement))]
HandOverBody = Annotated[HandOver, Body(openapi_examples=openapi_examples(HandOver))]
COMMON = (
    ErrorCode.INVALID_REQUEST,
    ErrorCode.MALFORMED_JSON,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.SERVICE_UNAVAILABLE,
    ErrorCode.SERVICE_TIMEOUT,
)


@router.post(
    "/v1/devices",
    status_code=201,
    response_model=DeviceView,
    summary="Add a terminal to a jurisdiction's stock (parc de terminaux)",
    description="IMEI (15 digits, Luhn check), IMSI, GPS chip id, number, brand and model. An attribution waiting "
    "for a device (out of stock) gets this one at once.",
    responses=error_responses(*COMMON, ErrorCode.UNKNOWN_JURISDICTION, ErrorCode.DEVICE_ALREADY_REGISTERED),
)
async def add_device(body: DeviceRegistrationBody, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.DEVICE, "add_device", registration=body.to_wire())


@router.get(
    "/v1/devices",
    response_model=StockPage,
    summary="A jurisdiction's stock of terminals (état du stock)",
    responses=error_responses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.UNKNOWN_JURISDICTION,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.SERVICE_TIMEOUT,
    ),
)
async def stock(
    answer: Answer,
    rpc: Rpc,
    jurisdiction: Annotated[str, Query(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")],
) -> dict:
    return answer.checked(await rpc.call(ServiceName.DEVICE, "list_stock", jurisdiction=jurisdiction))


@router.post(
    "/v1/attributions/{attribution_id}/fiche-navette",
    response_model=AssignmentView,
    summary="Send the fiche navette to the teleassistance operator (fiche navette du parquet)",
    description="What the operator must know of the beneficiary and the author. With the granted decision it "
    "provisions a device; without a device in stock the attribution is shown out_of_stock and the parquet alerted.",
    responses=error_responses(*COMMON, ErrorCode.INVALID_STATE),
)
async def fiche_navette(attribution_id: AttributionId, body: FicheNavetteBody, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.DEVICE, "record_fiche", attribution_id=attribution_id, fiche=body.to_wire())


@router.get(
    "/v1/attributions/{attribution_id}/device",
    response_model=AssignmentView,
    summary="The device side of an attribution (mise en service, appels test, restitution)",
    responses=error_responses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.ATTRIBUTION_NOT_FOUND,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.SERVICE_TIMEOUT,
    ),
)
async def assignment(attribution_id: AttributionId, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.DEVICE, "get_assignment", attribution_id=attribution_id)


@router.post(
    "/v1/devices/{device_id}/test-calls",
    response_model=AssignmentView,
    summary="Record a test call (appel test)",
    description="At hand-over, a successful call in each direction activates the device; then the beneficiary "
    "must make a test call every 15 days (a reminder precedes the deadline; the association is told when overdue).",
    responses=error_responses(*COMMON, ErrorCode.DEVICE_NOT_FOUND, ErrorCode.DEVICE_INACTIVE),
)
async def test_call(device_id: DeviceId, body: TestCallBody, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.DEVICE, "record_test_call", device_id=device_id, call=body.to_wire())


@router.post(
    "/v1/devices/{device_id}/recovery",
    response_model=DeviceView,
    summary="Record the physical return and the reset of a returned terminal (restitution, réinitialisation)",
    description="A terminal returned at the end of an attribution is `to_collect`: it is never given to anyone "
    "until its physical return and its reset are recorded here. It then goes back to stock (and to an attribution "
    "waiting for one at once). A terminal in service, or already back in stock, is refused (`invalid_state`).",
    responses=error_responses(*COMMON, ErrorCode.DEVICE_NOT_FOUND, ErrorCode.INVALID_STATE),
)
async def recovery(device_id: DeviceId, body: DeviceRecoveryBody, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.DEVICE, "record_recovery", device_id=device_id, recovery=body.to_wire())


# -- terminals as they are handled (transfert, retrait du parc, remplacement, remise) ------
@router.post(
    "/v1/devices/{device_id}/transfer",
    response_model=DeviceView,
    summary="Move a terminal in stock to another court of the same department (transfert)",
    description="Only a terminal `in_stock`; the target court must be in the courts file (`unknown_jurisdiction`) "
    "and in the same department (`court_outside_department`); a terminal in use, to collect or retired is refused "
    "(`invalid_state`). A refusal changes nothing. An attribution of the target court waiting for a terminal gets "
    "it at once.",
    responses=error_responses(
        *COMMON,
        ErrorCode.DEVICE_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.UNKNOWN_JURISDICTION,
        ErrorCode.COURT_OUTSIDE_DEPARTMENT,
    ),
)
async def transfer(device_id: DeviceId, body: DeviceTransferBody, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.DEVICE, "transfer_device", device_id=device_id, transfer=body.to_wire())


@router.post(
    "/v1/devices/{device_id}/retirement",
    response_model=DeviceView,
    summary="Retire a terminal from stock (mise au rebut, retour fournisseur)",
    description="For good: a `retired` terminal is never attributed again. A terminal in use (`assigned`, "
    "`active`) or returned and not yet collected and reset is refused (`invalid_state`); nothing changes.",
    responses=error_responses(*COMMON, ErrorCode.DEVICE_NOT_FOUND, ErrorCode.INVALID_STATE),
)
async def retirement(device_id: DeviceId, body: DeviceRetirementBody, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.DEVICE, "retire_device", device_id=device_id, retirement=body.to_wire())


@router.post(
    "/v1/attributions/{attribution_id}/device-replacement",
    response_model=AssignmentView,
    summary="Replace her lost or broken terminal during the measure (remplacement)",
    description="A terminal of the court's stock becomes hers at once: her alerts route from it, a press on the old "
    "one (now `lost` or `broken`) is flagged, and the forces informed get a `device_replaced` notice. The new "
    "terminal is `provisioned` until its two-way test call. No terminal in stock: `out_of_stock`, the parquet and "
    "the operator are reminded, nothing else changes.",
    responses=error_responses(
        *COMMON, ErrorCode.ATTRIBUTION_NOT_FOUND, ErrorCode.INVALID_STATE, ErrorCode.OUT_OF_STOCK
    ),
)
async def replacement(attribution_id: AttributionId, body: DeviceReplacementBody, rpc: Rpc) -> dict:
    return await rpc.call(
        ServiceName.DEVICE, "replace_device", attribution_id=attribution_id, replacement=body.to_wire()
    )


@router.post(
    "/v1/attributions/{attribution_id}/hand-over",
    response_model=AssignmentView,
    summary="Record the hand-over of her terminal (remise du téléphone)",
    description="When, where and who was present, by role (never names): the beneficiary and a member of the "
    "referent association at least (seed 002 §D). Once per terminal; shown to the parquet and the association.",
    responses=error_responses(*COMMON, ErrorCode.ATTRIBUTION_NOT_FOUND, ErrorCode.INVALID_STATE),
)
async def hand_over(attribution_id: AttributionId, body: HandOverBody, rpc: Rpc) -> dict:
    return await rpc.call(
        ServiceName.DEVICE, "record_hand_over", attribution_id=attribution_id, hand_over=body.to_wire()
    )
