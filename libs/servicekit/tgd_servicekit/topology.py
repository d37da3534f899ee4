"""Broker topology shared by every service: the dead-letter exchange and queue, and
the argument set given to every consuming queue.

Queues are quorum queues (replicated, durable; classic mirrored queues are deprecated
and can lose confirmed messages on failover). Every queue dead-letters to
``tgd.dead-letter`` once a message is rejected or redelivered ``DELIVERY_LIMIT`` times.
"""

from __future__ import annotations

from kombu import Connection, Exchange, Queue

from tgd_contracts.partners import (
    PARTNER_DEAD_LETTER_EXCHANGE,
    PARTNER_EXCHANGE,
    addressee_of_key,
    dead_lettered,
    partner_binding,
    partner_queue_arguments,
    partner_queue_name,
)

DEAD_LETTER_EXCHANGE = Exchange(
    PARTNER_DEAD_LETTER_EXCHANGE, type="topic", durable=True
)  # the one dead-letter exchange
DEAD_LETTER_QUEUE = Queue(
    "tgd.dead-letters",
    exchange=DEAD_LETTER_EXCHANGE,
    routing_key="#",
    durable=True,
    queue_arguments={"x-queue-type": "quorum"},
)
DELIVERY_LIMIT = 5


def consumer_queue_arguments(queue_name: str) -> dict[str, object]:
    return dead_lettered(queue_name, {"x-queue-type": "quorum", "x-delivery-limit": DELIVERY_LIMIT})


def declare_dead_letter_topology(amqp_uri: str) -> None:
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        DEAD_LETTER_EXCHANGE(channel).declare()
        DEAD_LETTER_QUEUE(channel).declare()


PARTNER_EXCHANGE_DECL = Exchange(PARTNER_EXCHANGE, type="topic", durable=True)


def partner_inbox(routing_key: str) -> Queue:
    """The addressee's queue for a ``tgd.partners`` routing key, as the platform declares it
    (before its first message, so nothing is unroutable while the partner is offline; the
    same as ``tgd broker provision-partner`` declares)."""
    parts = addressee_of_key(routing_key)
    if parts is None:
        raise ValueError(f"{routing_key!r} is not a partner routing key")
    audience, territory, unit, _kind = parts
    name = partner_queue_name(audience, territory, unit)
    return Queue(
        name,
        PARTNER_EXCHANGE_DECL,
        routing_key=partner_binding(audience, territory, unit),
        durable=True,
        queue_arguments=partner_queue_arguments(name),
    )


def declare_partner_inbox(amqp_uri: str, audience: str, territory: str, unit: str | None = None) -> str:
    """Declare one addressee's queue and binding with the platform's credentials (what
    ``tgd broker provision-partner`` does through the management API); returns its name."""
    inbox = partner_inbox(partner_binding(audience, territory, unit).replace("*", "notice"))
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        DEAD_LETTER_EXCHANGE(channel).declare()
        DEAD_LETTER_QUEUE(channel).declare()
        inbox(channel).declare()
    return inbox.name
