"""Operators' view of the dead letters (``tgd.dead-letters``): list them, replay them.

A message lands there when its consumer rejected it (malformed) or failed on it more
than the delivery limit. Listing shows where it came from and why, never its content
(it may hold personal data). Replaying sends it back to the queue it died in (and only
that queue: other consumers of the same event already have it), with publisher
confirms, and removes it from the dead letters only once the broker has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kombu import Connection

from tgd_servicekit.topology import DEAD_LETTER_QUEUE


@dataclass(frozen=True)
class DeadLetter:
    message_id: str
    event_type: str
    queue: str
    reason: str
    died_at: str
    size: int


def _first_death(headers: dict[str, Any]) -> dict[str, Any]:
    deaths = headers.get("x-death") or [{}]
    return deaths[-1] if isinstance(deaths, list) and deaths else {}


def describe(message: Any) -> DeadLetter:
    headers = dict(message.headers or {})
    death = _first_death(headers)
    return DeadLetter(
        message_id=str(message.properties.get("message_id") or headers.get("cloudEvents:id") or "?"),
        event_type=str(headers.get("cloudEvents:type") or message.properties.get("type") or "?"),
        queue=str(headers.get("x-first-death-queue") or death.get("queue") or "?"),
        reason=str(headers.get("x-first-death-reason") or death.get("reason") or "?"),
        died_at=str(death.get("time", "?")),
        size=len(message.body or b""),
    )


def _drain(conn: Connection, limit: int) -> list[Any]:
    queue = DEAD_LETTER_QUEUE(conn.default_channel)
    queue.declare()
    taken = []
    while len(taken) < limit and (message := queue.get(no_ack=False)) is not None:
        taken.append(message)
    return taken


def list_dead_letters(amqp_uri: str, limit: int = 1000) -> list[DeadLetter]:
    """Look at up to ``limit`` dead letters without removing them."""
    with Connection(amqp_uri) as conn:
        taken = _drain(conn, limit)
        letters = [describe(m) for m in taken]
        for message in taken:
            message.requeue()
    return letters


def replay(amqp_uri: str, message_ids: set[str] | None = None, limit: int = 1000) -> list[DeadLetter]:
    """Send dead letters (all, or those whose id is given) back to their queue."""
    replayed = []
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        taken = _drain(conn, limit)
        publish_channel = conn.channel()
        for message in taken:
            letter = describe(message)
            if (message_ids is not None and letter.message_id not in message_ids) or letter.queue == "?":
                message.requeue()
                continue
            headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith("x-")}
            properties = {
                k: v for k, v in message.properties.items() if k in ("message_id", "type", "correlation_id", "reply_to")
            }
            publish_channel.basic_publish(
                publish_channel.prepare_message(
                    message.body,
                    content_type=message.content_type,
                    content_encoding=message.content_encoding,
                    headers=headers,
                    properties={**properties, "delivery_mode": 2},
                ),
                exchange="",
                routing_key=letter.queue,
            )
            message.ack()
            replayed.append(letter)
    return replayed
