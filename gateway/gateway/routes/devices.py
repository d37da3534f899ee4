"""The teleassistance operator's side: stock of terminals, fiche navette, test calls."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.examples.catalogue import openapi_examples
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
    rpc: Rpc,
    jurisdiction: Annotated[str, Query(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")],
) -> dict:
    return await rpc.call(ServiceName.DEVICE, "list_stock", jurisdiction=jurisdiction)


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
