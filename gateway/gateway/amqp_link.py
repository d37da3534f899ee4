"""One AMQP connection of the gateway kept open for ever (aiormq, on the event loop):
connect, open what the user needs on it, wait until the connection or that channel
closes, report the loss and reconnect with backoff (0.5 s doubling to 10 s). Used by the
RPC client (:mod:`gateway.rpc`) and the alert events' subscription
(:mod:`gateway.alert_events`), each on its own connection."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import aiormq
from aiormq.abc import AbstractChannel, AbstractConnection

log = logging.getLogger(__name__)
FIRST_BACKOFF_S, MAX_BACKOFF_S = 0.5, 10.0


def aiormq_url(amqp_uri: str, heartbeat_s: int) -> str:
    """kombu's ``pyamqp://user:pw@host:port/vhost`` as aiormq's ``amqp://…?heartbeat=``."""
    scheme, sep, rest = amqp_uri.partition("://")
    if not sep:
        raise ValueError("AMQP_URI must look like amqp://user:password@host:port/vhost")
    secure = scheme.endswith("amqps") or scheme == "ssl"
    return f"{'amqps' if secure else 'amqp'}://{rest}{'&' if '?' in rest else '?'}heartbeat={heartbeat_s}"


class AmqpLink:
    """``open_channel(connection)`` sets up what is consumed or published on a fresh
    connection and returns the channel whose closing ends it; ``on_lost()`` is called
    whenever the connection is lost (or could not be set up)."""

    def __init__(
        self,
        url: str,
        open_channel: Callable[[AbstractConnection], Awaitable[AbstractChannel]],
        on_lost: Callable[[], None],
        name: str,
    ):
        self.url = url
        self.open_channel = open_channel
        self.on_lost = on_lost
        self.name = name
        self.disconnections = 0
        self._connection: AbstractConnection | None = None
        self._runner: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Connect and stay connected in the background."""
        self._runner = asyncio.create_task(self.run(), name=self.name)

    async def stop(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            await asyncio.gather(self._runner, return_exceptions=True)
            self._runner = None
        await self.close()
        self.on_lost()

    async def run(self) -> None:
        backoff = FIRST_BACKOFF_S
        while True:
            try:
                self._connection = await aiormq.connect(self.url)
                channel = await self.open_channel(self._connection)
                backoff = FIRST_BACKOFF_S
                await asyncio.wait([self._connection.closing, channel.closing], return_when=asyncio.FIRST_COMPLETED)
                raise ConnectionError("closed")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker down or restarting: report, back off, try again
                self.disconnections += 1
                self.on_lost()
                await self.close()
                log.warning("%s disconnected (%s); retrying in %.1fs", self.name, type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def close(self) -> None:
        if self._connection is not None and not self._connection.is_closed:
            await asyncio.gather(self._connection.close(), return_exceptions=True)
