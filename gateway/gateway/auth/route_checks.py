"""The app's one dependency, declared on the FastAPI app itself so that every route runs
it before anything of its own (gateway/tests/test_access_dependency.py checks that no
route escapes it): the access guard (:mod:`gateway.auth.guard`), then the idempotency
check, which needs the caller (:mod:`gateway.contract.idempotency`)."""

from __future__ import annotations

from fastapi import Request


async def before_route(request: Request) -> None:
    await request.app.state.guard(request)
    await request.app.state.idempotency(request)
