"""How the gateway is served (uvicorn), with the limits a slow or greedy client meets:

- **headers**: uvicorn's h11 protocol waits for a request's headers forever (a client that
  sends one byte a minute holds a connection: slowloris); :class:`HeaderTimeoutProtocol`
  closes a connection whose request headers are not complete ``header_timeout_s`` after
  its first byte (or after the connection opened);
- **body**: :class:`gateway.middleware.BodyLimitMiddleware` answers 408 when the body does
  not arrive within ``TGD_GATEWAY_BODY_TIMEOUT_S``;
- **idle keep-alive**: uvicorn's ``timeout_keep_alive``;
- **connections**: ``limit_concurrency`` (503 beyond it), so that the event-stream caps and
  the rest keep the process answering.
A reverse proxy in front (TLS) should apply the same limits; these hold without it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
KEEP_ALIVE_S = 5
MAX_CONNECTIONS = 1000


class HeaderTimeoutProtocol(H11Protocol):
    header_timeout_s = HEADER_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._header_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._waiting_for_headers():
            self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _waiting_for_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._header_timer is None:  # trickled bytes do not push the deadline back
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(
    header_timeout_s: float = HEADER_TIMEOUT_S, forwarded_allow_ips: str | None = None
) -> dict[str, Any]:
    """``forwarded_allow_ips``: the reverse proxies whose X-Forwarded-For gives the caller's
    address (rate limits and the login throttle count per address: behind an unlisted proxy,
    every caller has the proxy's)."""
    protocol = type("GatewayH11", (HeaderTimeoutProtocol,), {"header_timeout_s": header_timeout_s})
    options: dict[str, Any] = {
        "http": protocol,
        "timeout_keep_alive": KEEP_ALIVE_S,
        "limit_concurrency": MAX_CONNECTIONS,
    }
    if forwarded_allow_ips:
        options.update(proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips)
    return options
