"""A request body read whole by a pure ASGI middleware, then handed on unchanged: the body
limit checks its size and nesting before any parse (the access guard and the idempotency
check, dependencies, read it through the request, as the route does)."""

from __future__ import annotations

from starlette.types import Message, Receive


def replaying(receive: Receive, raw: bytes) -> Receive:
    """A ``receive`` that gives ``raw`` as the whole body once, then defers to ``receive``
    (which then reports the disconnection)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replay
