"""``GET /health``: is the gateway able to reach the broker (and so the services)?"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gateway.deps import Rpc

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    broker: Literal["reachable", "unreachable"]


@router.get(
    "/health",
    response_model=Health,
    summary="Health of the gateway and its broker connection",
    responses={503: {"model": Health, "description": "The broker is unreachable."}},
)
async def health(rpc: Rpc) -> JSONResponse:
    ok = rpc.connected
    body = Health(status="ok" if ok else "degraded", broker="reachable" if ok else "unreachable")
    return JSONResponse(status_code=200 if ok else 503, content=body.model_dump())
