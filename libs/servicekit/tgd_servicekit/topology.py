"""Broker topology shared by every service: the dead-letter exchange and queue, and
the argument set given to every consuming queue.

Queues are quorum queues (replicated, durable; classic mirrored queues are deprecated
and can lose confirmed messages on failover). Every queue dead-letters to
``tgd.dead-letter`` once a message is rejected or redelivered ``DELIVERY_LIMIT`` times.
"""

from __future__ import annotations

from kombu import Connection, Exchange, Queue

DEAD_LETTER_EXCHANGE = Exchange("tgd.dead-letter", type="topic", durable=True)
DEAD_LETTER_QUEUE = Queue(
    "tgd.dead-letters",
    exchange=DEAD_LETTER_EXCHANGE,
    routing_key="#",
    durable=True,
    queue_arguments={"x-queue-type": "quorum"},
)
DELIVERY_LIMIT = 5


def consumer_queue_arguments(queue_name: str) -> dict[str, object]:
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": DELIVERY_LIMIT,
        "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE.name,
        "x-dead-letter-routing-key": queue_name,
    }


def declare_dead_letter_topology(amqp_uri: str) -> None:
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        DEAD_LETTER_EXCHANGE(channel).declare()
        DEAD_LETTER_QUEUE(channel).declare()
