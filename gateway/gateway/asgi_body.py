"""A request body read whole by a pure ASGI middleware, then handed on unchanged: the
idempotency check hashes it, the access guard reads the jurisdiction in it, the body
limit checks its size and nesting before any parse."""

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


async def read_body(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body (already size-limited by ``BodyLimitMiddleware``) and a
    ``receive`` that replays it."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    raw = b"".join(chunks)
    return raw, replaying(receive, raw)
