"""A stand-in for the RPC client: records calls, answers from a script."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class FakeRpc:
    def __init__(self, answer: Callable[..., Any] | None = None, connected: bool = True):
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.answer = answer or (lambda service, method, **kwargs: {})
        self.connected = connected

    async def call(self, service: str, method: str, **kwargs: Any) -> Any:
        self.calls.append((service, method, kwargs))
        return self.answer(service, method, **kwargs)
