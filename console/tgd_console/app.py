"""``create_app()``: the console for people; ``tgd-console`` serves it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tgd_console import labels
from tgd_console.gateway import Gateway, carry_trace_context
from tgd_console.operator import routes as operator
from tgd_console.operator import stats as operator_stats
from tgd_console.routes import association, auth, parquet, reminders, statistics
from tgd_console.session import Sealer
from tgd_console.settings import Settings
from tgd_console.web import BadForm, LoginRequired, WrongRole, page, sealer
from tgd_servicekit.login_throttle import LoginThrottle
from tgd_servicekit.session_registry import SessionRegistry

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
}


def create_app(settings: Settings | None = None, transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """``transport``: how to reach the gateway (tests pass the gateway app in process)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(
            base_url=settings.gateway_url,
            timeout=settings.gateway_timeout_s,
            transport=transport,
            event_hooks={"request": [carry_trace_context]},
        ) as client:
            app.state.gateway = Gateway(client)
            yield

    app = FastAPI(title="TGD console", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.sealer = Sealer(settings.session_key, settings.session_idle_s, settings.secure)
    app.state.sessions = SessionRegistry(settings.data_dir / "sessions.json")
    app.state.login_throttle = LoginThrottle(
        settings.login_failures_per_pair, settings.login_failures_per_address, settings.login_lockout_s
    )
    for module in (auth, parquet, association, reminders, statistics, operator, operator_stats):
        app.include_router(module.router)
    app.include_router(operator.assets)  # the operator screen's script and style: no session needed

    @app.middleware("http")
    async def reseal_and_protect(request: Request, call_next) -> Response:  # type: ignore[no-untyped-def]
        response = await call_next(request)
        person = getattr(request.state, "person", None)
        if person is not None and "set-cookie" not in response.headers:
            response.headers.append("set-cookie", sealer(request).cookie(person))
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if settings.secure:
            response.headers.setdefault("strict-transport-security", "max-age=31536000")
        return response

    @app.get("/health")
    async def health() -> dict[str, str]:
        """Liveness for probes (the gateway has its own readiness)."""
        return {"status": "ok"}

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        if request.url.path.startswith(operator.PREFIX) and "text/html" not in request.headers.get("accept", ""):
            response: Response = Response(status_code=401)  # the operator screen's script: back to the login
        else:
            response = RedirectResponse("/login", status_code=303)
        response.headers.append("set-cookie", sealer(request).cookie(None))
        return response

    @app.exception_handler(WrongRole)
    async def wrong_role(request: Request, exc: WrongRole) -> HTMLResponse:
        return page("message.html", 403, person=request.state.person, message=labels.error("forbidden"))

    @app.exception_handler(BadForm)
    async def bad_form(request: Request, exc: BadForm) -> HTMLResponse:
        return page("message.html", 400, person=getattr(request.state, "person", None), message=labels.error("csrf"))

    return app
