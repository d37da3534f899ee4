"""The services' RPC request queues (``rpc-<service>``): classic queues whose requests
expire, and the migration from the quorum queues of earlier versions.

An RPC request is transient by nature: its caller waits a few seconds and then gives up
(and retries, every RPC being idempotent), so replicating it (a quorum queue: a write to
a majority of nodes, then a confirm) buys nothing. A request never waits in the queue
longer than :data:`RPC_REQUEST_TTL_MS` (the gateway's own requests expire sooner: after
its call timeout), redelivered ones included (an expired message is dropped at the head
of the queue), so a request that crashes its worker cannot loop for ever without the
quorum queue's delivery limit. A rejected request (no ``reply_to``) is dead-lettered as
before; an expired one too (``alarms`` ignores it). Partner and event queues stay quorum.

A queue's type cannot change: declaring ``rpc-alert`` as classic where an earlier version
declared it quorum fails with ``PRECONDITION_FAILED``. :func:`prepare_rpc_queue` then
deletes the old queue and declares the new one, but only when nothing consumes it (no
instance of the earlier version still running) and, unless told to drop them, nothing
waits in it; otherwise it raises :class:`RpcQueueMismatch` naming what to do (stop the
old instances; ``tgd broker migrate-rpc-queues``). Quorum queues refuse the ``if-unused``
and ``if-empty`` flags of a delete (NOT_IMPLEMENTED), so the counts come from a passive
declare just before the delete (an instance of the earlier version that starts in between
re-declares its quorum queue, and the next start reports the mismatch again).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from amqp.exceptions import PreconditionFailed
from kombu import Connection

from tgd_contracts.partners import dead_lettered

log = logging.getLogger(__name__)

RPC_QUEUE_TEMPLATE = "rpc-{}"  # nameko's
#: the longest a request waits in a service's queue (every caller's timeout is shorter)
RPC_REQUEST_TTL_MS = 60_000
#: the services that answer RPC requests (``tgd broker migrate-rpc-queues`` prepares their queues)
RPC_SERVICES = ("referral", "evaluation", "device", "notify", "alert")


def rpc_queue_arguments(queue_name: str) -> dict[str, object]:
    return dead_lettered(queue_name, {"x-queue-type": "classic", "x-message-ttl": RPC_REQUEST_TTL_MS})


class RpcQueueMismatch(RuntimeError):
    """The queue exists with other arguments (an earlier version's) and cannot be replaced now."""


@dataclass(frozen=True)
class Prepared:
    queue: str
    migrated: bool  # an earlier declaration was deleted
    dropped: int = 0  # requests that waited in the deleted queue


def prepare_rpc_queue(conn: Connection, queue: str, drop_waiting: bool = False) -> Prepared:
    """Declare ``queue`` as a classic RPC request queue, replacing an earlier declaration
    when it is safe (see the module docstring)."""
    arguments = rpc_queue_arguments(queue)
    try:
        conn.channel().queue_declare(queue, durable=True, auto_delete=False, arguments=arguments)
        return Prepared(queue, migrated=False)
    except PreconditionFailed as exc:  # the channel is closed; the connection stays usable
        mismatch = str(exc)
    channel = conn.channel()
    _, waiting, consumers = channel.queue_declare(queue, passive=True)
    if consumers:
        raise RpcQueueMismatch(
            f"{queue} was declared by an earlier version ({mismatch.split(' - ', 1)[-1]}) and {consumers} "
            "consumer(s) still read it: stop the instances of the earlier version, then start this one "
            "(or run `tgd broker migrate-rpc-queues`)"
        )
    if waiting and not drop_waiting:
        raise RpcQueueMismatch(
            f"{queue} was declared by an earlier version and holds {waiting} request(s): "
            "`tgd broker migrate-rpc-queues` replaces it (the requests are dropped; their callers have "
            "timed out or will, and retry)"
        )
    channel.queue_delete(queue)
    channel.queue_declare(queue, durable=True, auto_delete=False, arguments=arguments)
    log.warning("%s: replaced the earlier declaration by a classic queue (%d request(s) dropped)", queue, waiting)
    return Prepared(queue, migrated=True, dropped=waiting)


def prepare_rpc_queues(
    amqp_uri: str, services: tuple[str, ...] = RPC_SERVICES, drop_waiting: bool = True
) -> list[Prepared]:
    """Every service's request queue (``tgd broker migrate-rpc-queues``)."""
    with Connection(amqp_uri, connect_timeout=5) as conn:
        return [prepare_rpc_queue(conn, RPC_QUEUE_TEMPLATE.format(s), drop_waiting) for s in services]
