"""``create_app()``: the FastAPI application; ``python -m gateway`` serves it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from gateway.deps import ServiceCaller
from gateway.errors import install_error_handlers
from gateway.middleware import BodyLimitMiddleware, RequestIdMiddleware
from gateway.routes import alert_stream, alerts, device_alerts, health, referrals
from gateway.rpc import RpcClient
from gateway.settings import Settings

DESCRIPTION = """API for the partners of the Téléphone Grave Danger scheme.

Every error is `{"error": CODE, "message": ...}`. POST routes take an `Idempotency-Key`
header so that a retry never creates a second record."""


def create_app(settings: Settings | None = None, rpc: ServiceCaller | None = None) -> FastAPI:
    """Build the app. Without ``rpc`` it connects to the broker on startup."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = None
        if rpc is None:
            client = RpcClient(settings.amqp_uri, settings.rpc_timeout_s)
            client.start()
            app.state.rpc = client
        yield
        if client is not None:
            client.stop()

    app = FastAPI(title="TGD gateway", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    if rpc is not None:
        app.state.rpc = rpc
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)  # outermost: every response carries X-Request-Id
    app.include_router(health.router)
    app.include_router(referrals.router)
    app.include_router(device_alerts.router)
    app.include_router(alert_stream.router)  # before alerts: /stream is not an alert id
    app.include_router(alerts.router)
    return app
