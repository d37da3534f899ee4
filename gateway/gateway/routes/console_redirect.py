"""The operator console's old address. The console moved out of the gateway into its own
process (``console/``, docs/console.md), which calls this API with the operator's own
token like any partner; ``GET /console`` (and any page under it) now answers a redirect
to the console's operator screen (``TGD_GATEWAY_CONSOLE_URL``), kept for the bookmarks of
the platform's workstations until they are updated. Nothing else is served here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

router = APIRouter(include_in_schema=False)
OPERATOR_SCREEN = "/regulation"


def moved(request: Request) -> RedirectResponse:
    base = str(request.app.state.console_url).rstrip("/")
    return RedirectResponse(base + OPERATOR_SCREEN, status_code=308)


@router.get("/console")
async def console_home(request: Request) -> RedirectResponse:
    return moved(request)


@router.get("/console/{rest:path}")
async def console_page(request: Request, rest: str) -> RedirectResponse:
    """Every old page leads to the operator screen (its paths changed: no 1:1 mapping)."""
    return moved(request)
