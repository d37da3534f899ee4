"""``create_app()``: the FastAPI application; ``python -m gateway`` serves it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from gateway.alert_events import AlertEventSubscription, StreamWakeups
from gateway.auth.access import ACCESS
from gateway.auth.audit import AuditLog
from gateway.auth.clients import ClientStore
from gateway.auth.guard import AccessGuard
from gateway.auth.openapi import install_openapi
from gateway.auth.operators import OperatorStore
from gateway.auth.outcome import AccessOutcome
from gateway.auth.ratelimit import RateLimiter
from gateway.auth.revocation import Revocation
from gateway.auth.route_checks import before_route
from gateway.auth.rules import Rule
from gateway.auth.session_store import SessionStore
from gateway.auth.streams import StreamSlots
from gateway.auth.throttle import LoginThrottle
from gateway.auth.tokens import TokenConfig
from gateway.contract import docs, openapi_rules, reference
from gateway.contract.idempotency import Idempotency, IdempotencyStore, Replay, replay_response
from gateway.contract.operation_ids import operation_id
from gateway.deps import ServiceCaller
from gateway.errors import install_error_handlers
from gateway.middleware import BodyLimitMiddleware, RequestIdMiddleware, SecurityHeadersMiddleware
from gateway.routes import (
    alert_history,
    alert_stream,
    alerts,
    audit,
    console_redirect,
    court_reads,
    court_statistics,
    device_alerts,
    devices,
    evidence,
    follow_up,
    handover,
    health,
    measure_reads,
    measures,
    notices,
    oauth,
    observatory,
    orientations,
    partners,
    referrals,
    retention,
)
from gateway.routes.oauth import PersonSessions
from gateway.rpc import RpcClient
from gateway.settings import Settings
from tgd_servicekit.evidence_keys import signing_key_from_env
from tgd_servicekit.evidence_signing import SigningKey
from tgd_servicekit.handover_keys import recipients_from_env

DESCRIPTION = """API for the partners of the Téléphone Grave Danger scheme.

Every route but `/health` and the published reference data (courts, instruments, audiences) needs
`Authorization: Bearer <token>` (from `POST /v1/oauth/token`, OAuth2 client credentials);
each route names the roles that may call it, and answers only about the caller's
jurisdictions. Every error is `{"error": CODE, "message": ...}`; error codes and the states in
answers are open lists (new values may appear: a client must accept a value it does not know).
POST routes take an `Idempotency-Key` header: a retry with the same key and body returns the
first answer, the same key with another body is 409 `idempotency_key_reused`."""


def create_app(
    settings: Settings | None = None,
    rpc: ServiceCaller | None = None,
    access: dict[str, Rule] | None = None,
    evidence_key: SigningKey | None = None,
) -> FastAPI:
    """Build the app. Without ``rpc`` it connects to the broker on startup. The evidence
    signing key comes from ``TGD_EVIDENCE_SIGNING_KEY`` (:mod:`tgd_servicekit.evidence_keys`)."""
    settings = settings or Settings()
    evidence_key = evidence_key or signing_key_from_env({**os.environ, "TGD_ENV": settings.env})

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = subscription = None
        if rpc is None:
            client = RpcClient(settings.amqp_uri, settings.rpc_timeout_s)
            await client.start()
            app.state.rpc = client
            # the open-alerts streams woken by the alert service's events (gateway.alert_events)
            subscription = AlertEventSubscription(settings.amqp_uri, app.state.stream_wakeups)
            await subscription.start()
        yield
        if subscription is not None:
            await subscription.stop()
        if client is not None:
            await client.stop()

    app = FastAPI(
        title="TGD gateway",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served offline by gateway.contract.docs
        redoc_url=None,
        openapi_url=None,  # gateway.contract.docs serves it too: a FastAPI route, so the guard runs for it
        dependencies=[Depends(before_route)],  # every route: the access guard, then idempotency
        openapi_tags=openapi_rules.TAGS,
        generate_unique_id_function=operation_id,
    )
    if rpc is not None:
        app.state.rpc = rpc
    table = ACCESS if access is None else access
    app.state.tokens = TokenConfig(
        settings.jwt_secret,
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.token_ttl_s,
        settings.token_max_lifetime,
    )
    app.state.clients = ClientStore(settings.data_dir / "clients.json")
    app.state.audit = AuditLog(settings.data_dir / "audit.jsonl", settings.audit_key.encode(), settings.audit_anchor)
    app.state.evidence_key = evidence_key
    app.state.handover_recipients = recipients_from_env()  # receiving operators (docs/handover.md)
    app.state.operators = OperatorStore.in_dir(settings.data_dir)
    app.state.console_url = settings.console_url
    app.state.streams = StreamSlots(settings.streams_per_client, settings.streams_total)
    app.state.stream_wakeups = StreamWakeups()
    # people's sessions (console/): their refresh tokens name a session kept here, ended at logout
    app.state.person_sessions = PersonSessions(
        SessionStore(settings.data_dir / "console-sessions.json"), settings.console_session_max_s
    )
    app.state.guard = AccessGuard(
        table,
        app.state.tokens,
        RateLimiter(settings.rate_per_s, settings.rate_burst),
        Revocation(app.state.clients, app.state.operators, strict=settings.env == "production"),
    )
    kept_answers = IdempotencyStore()
    app.state.idempotency = Idempotency(kept_answers)
    install_error_handlers(app, before_route)
    app.add_exception_handler(Replay, replay_response)  # type: ignore[arg-type]
    app.add_middleware(AccessOutcome, audit=app.state.audit, idempotency=kept_answers)  # access log, kept answers
    # the password grant's (a person's login through the console)
    app.state.login_throttle = LoginThrottle(
        settings.login_failures_per_pair, settings.login_failures_per_address, settings.login_lockout_s
    )
    form_paths = frozenset({"/v1/oauth/token", "/v1/oauth/revoke"})
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        form_paths=form_paths,
        body_timeout_s=settings.body_timeout_s,
    )
    if settings.cors_origins:  # closed by default: no CORS headers, browsers refuse cross-origin calls
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "X-Access-Reason"],
        )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.env == "production")
    app.add_middleware(RequestIdMiddleware)  # outermost: every response carries X-Request-Id
    routers = (
        docs,
        health,
        oauth,
        reference,
        referrals,
        observatory,
        audit,
        measures,
        measure_reads,
        devices,
        notices,
        partners,
        device_alerts,
        evidence,
        alert_history,
        follow_up,
        orientations,
        court_reads,
        court_statistics,
        handover,
    )
    for module in (*routers, alert_stream, alerts, retention):  # alert_stream before alerts: /stream is not an alert id
        app.include_router(module.router)
    app.include_router(console_redirect.router)
    install_openapi(app, table)
    documented = app.openapi

    def openapi() -> dict:
        if not app.openapi_schema:
            app.openapi_schema = openapi_rules.apply(documented())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
