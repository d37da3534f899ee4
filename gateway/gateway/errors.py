"""Every error response is ``{"error": CODE, "message": ...}``; HTTP statuses come
from the one table in :mod:`tgd_contracts.errors`. Validation details list where the
request is wrong, never the submitted values (they may be personal data)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.auth.guard import GUARDED
from gateway.rpc import RemoteServiceError
from tgd_contracts.errors import ERRORS, ErrorCode, TgdError

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    location: str
    type: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorCode
    message: str
    details: list[ErrorDetail] | None = None
    request_id: str | None = None


def error_response(
    code: ErrorCode,
    message: str | None = None,
    details: list[dict[str, str]] | None = None,
    request: Request | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"error": code.value, "message": message or ERRORS[code].description}
    if details is not None:
        body["details"] = details
    if request is not None and getattr(request.state, "request_id", None):
        body["request_id"] = request.state.request_id
    return JSONResponse(status_code=ERRORS[code].http_status, content=body, headers=headers)


def error_responses(*codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting the given error codes (grouped by status)."""
    by_status: dict[int, list[str]] = {}
    for code in (*codes, ErrorCode.INTERNAL_ERROR):
        by_status.setdefault(ERRORS[code].http_status, []).append(code.value)
    return {
        status: {"model": ErrorBody, "description": "Error: " + ", ".join(names)}
        for status, names in sorted(by_status.items())
    }


HTTP_STATUS_CODES = {
    400: ErrorCode.MALFORMED_JSON,  # FastAPI could not decode the body (e.g. invalid UTF-8)
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}


def validation_details(exc: RequestValidationError) -> list[dict[str, str]]:
    return [
        {
            "location": ".".join(str(p) for p in err.get("loc", ())),
            "type": err.get("type", ""),
            "message": err.get("msg", ""),
        }
        for err in exc.errors()
    ]


def tgd_error_response(request: Request, exc: TgdError) -> JSONResponse:
    details, headers = getattr(exc, "details", None), getattr(exc, "headers", None)  # the access guard's refusals
    return error_response(exc.code, exc.message, details, request=request, headers=headers)


BeforeRoute = Callable[[Request], Awaitable[None]]


def install_error_handlers(app: FastAPI, before_route: BeforeRoute | None = None) -> None:
    """``before_route``: the app's own dependencies (the access guard), run here first when
    FastAPI refused a request before any dependency ran (it decodes the body first): a
    caller without a token gets 401, never a word about its body."""

    async def checked_first(request: Request) -> Response | None:
        if before_route is None or "route" not in request.scope or request.scope.get("state", {}).get(GUARDED):
            return None  # no route, or its dependencies ran already (this error came after them)
        try:
            await before_route(request)  # returns at once when it ran already
        except TgdError as exc:
            return tgd_error_response(request, exc)
        except Exception as exc:  # a replayed answer, say: its own handler answers
            handler = app.exception_handlers.get(type(exc))
            if handler is None:
                raise
            return await handler(request, exc)
        return None

    @app.exception_handler(TgdError)
    async def _tgd_error(request: Request, exc: TgdError) -> JSONResponse:
        return tgd_error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        refused = await checked_first(request)
        if refused is not None:
            return refused
        details = validation_details(exc)
        if any(d["type"] == "json_invalid" for d in details):
            return error_response(ErrorCode.MALFORMED_JSON, details=details, request=request)
        return error_response(ErrorCode.INVALID_REQUEST, details=details, request=request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        refused = await checked_first(request) if exc.status_code == 400 else None  # a body FastAPI could not read
        if refused is not None:
            return refused
        code = HTTP_STATUS_CODES.get(exc.status_code, ErrorCode.INTERNAL_ERROR)
        return error_response(code, request=request, headers=getattr(exc, "headers", None))

    @app.exception_handler(RemoteServiceError)
    async def _remote(request: Request, exc: RemoteServiceError) -> JSONResponse:
        log.error("a service failed unexpectedly: %s", exc)
        return error_response(ErrorCode.INTERNAL_ERROR, request=request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(ErrorCode.INTERNAL_ERROR, request=request)
