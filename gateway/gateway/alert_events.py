"""The open-alerts list pushed: what wakes the operator's live streams
(``GET /v1/alerts/stream``, :mod:`gateway.routes.alert_stream`) as soon as the list may
have changed, instead of at their next periodic re-read.

- :class:`StreamWakeups`: the open streams of this process; :meth:`StreamWakeups.wake_all`
  wakes every one of them: each applies the event's change to the list it last sent
  (:mod:`gateway.list_changes`: a new alert's line shows at once), or, woken without a
  change, re-reads the list (:mod:`gateway.live_list`).
- :class:`AlertEventSubscription`: once per process, the gateway consumes the alert
  service's own events that change the list, ``alert_raised`` and ``alert_closed`` on
  ``alert.events`` — messages it publishes anyway: nothing more is sent per alert for the
  gateway — through a server-named, exclusive, auto-delete queue (it goes with the
  connection; a classic queue: nothing to replicate), without acknowledgements. Of a
  message only the line it adds (ids, court, flags, time: no identity) or the id it
  removes is kept, until the streams re-read; nothing is logged.
  When the subscription is (re)opened, the streams are woken too (events may have been
  missed meanwhile). A lost message or subscription costs at most one ``interval``: each
  stream still re-reads the list periodically.

The operator's own decisions through this gateway (take, qualification) wake the streams
of the process to read the list (:mod:`gateway.routes.alerts`); a partner's acknowledgement
and a press joining an open alert publish no event on ``alert.events``: they show at the
next periodic re-read.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from aiormq.abc import AbstractChannel, AbstractConnection, DeliveredMessage

from gateway.amqp_link import AmqpLink, aiormq_url
from gateway.list_changes import ListChange, change_of
from tgd_contracts.events import EventName, ServiceName

ALERT_EVENTS_EXCHANGE = f"{ServiceName.ALERT}.events"  # nameko's ``<service>.events`` (topic, durable)
#: the alert service's events after which the open list differs
LIST_EVENTS = (EventName.ALERT_RAISED, EventName.ALERT_CLOSED)
SUBSCRIPTION_QUEUE_ARGUMENTS = {"x-queue-type": "classic"}  # not the vhost's default (quorum)
MAX_PENDING_CHANGES = 200


class Listener:
    """An open stream's wake-up flag and the changes received since it last read the list."""

    def __init__(self) -> None:
        self.flag = asyncio.Event()  # the list may have changed otherwise: read it
        self.arrived = asyncio.Event()  # changes are waiting to be applied
        self.changes: list[ListChange] = []

    def take_changes(self) -> list[ListChange]:
        self.arrived.clear()
        changes, self.changes = self.changes, []
        return changes


class StreamWakeups:
    def __init__(self) -> None:
        self._streams: weakref.WeakSet[Listener] = weakref.WeakSet()
        self.wakes = 0

    @contextmanager
    def listening(self) -> Iterator[Listener]:
        """A stream's listener, woken by every :meth:`wake_all` while the stream is open."""
        listener = Listener()
        self._streams.add(listener)
        try:
            yield listener
        finally:
            self._streams.discard(listener)

    def wake_all(self, change: ListChange | None = None) -> None:
        """Wake every stream: to apply ``change``, or without one to read the list."""
        self.wakes += 1
        for listener in list(self._streams):
            if change is not None and len(listener.changes) < MAX_PENDING_CHANGES:
                listener.changes.append(change)
                listener.arrived.set()
            else:  # nothing the stream can apply: it reads the list
                listener.flag.set()

    @property
    def listeners(self) -> int:
        return len(self._streams)


class AlertEventSubscription:
    """Consumes the list's events on its own connection, reconnecting for ever."""

    def __init__(self, amqp_uri: str, wakeups: StreamWakeups, heartbeat_s: int = 30):
        self.wakeups = wakeups
        self.subscribed = False
        self.received = 0
        self._link = AmqpLink(aiormq_url(amqp_uri, heartbeat_s), self._subscribe, self._lost, "alert events")

    async def start(self) -> None:
        """Subscribe in the background: the gateway serves without it (the streams re-read periodically)."""
        self._link.start()

    async def stop(self) -> None:
        await self._link.stop()

    @property
    def disconnections(self) -> int:
        return self._link.disconnections

    async def _subscribe(self, connection: AbstractConnection) -> AbstractChannel:
        channel = await connection.channel()
        await channel.exchange_declare(ALERT_EVENTS_EXCHANGE, exchange_type="topic", durable=True)
        declared = await channel.queue_declare(
            "", exclusive=True, auto_delete=True, arguments=SUBSCRIPTION_QUEUE_ARGUMENTS
        )
        queue = str(declared.queue)  # the name the broker chose
        for event in LIST_EVENTS:
            await channel.queue_bind(queue, ALERT_EVENTS_EXCHANGE, routing_key=str(event))
        await channel.basic_consume(queue, self._on_event, no_ack=True)
        self.subscribed = True
        self.wakeups.wake_all()  # whatever changed while no subscription was open
        return channel

    async def _on_event(self, message: DeliveredMessage) -> None:
        self.received += 1
        self.wakeups.wake_all(change_of(message.routing_key or "", message.body))

    def _lost(self) -> None:
        self.subscribed = False
