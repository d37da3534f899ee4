"""The alarm on dead letters of the alert path.

Every dead letter goes, through the dead-letter exchange, to ``tgd.dead-letters`` (kept
for an operator to list and replay) AND to ``tgd.dead-letter-alarms`` (a copy, bound
with ``#``). ``@dead_letter_alarm`` consumes that copy: for a letter that died on a queue
of the alert path (the alert service's own queues, a partner's queue, the partners'
replies) it calls the decorated method with a :class:`DeadLetterAlarm`; the others are
acknowledged and ignored. The alarm carries where and why, never the content.

An RPC request that expired (its caller had already given up and retries) is not an
alarm: nothing waits for it any more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from kombu import Queue
from nameko.messaging import Consumer

from tgd_servicekit.consumers import SafeConsumer
from tgd_servicekit.deadletters import describe
from tgd_servicekit.topology import DEAD_LETTER_EXCHANGE, declare_dead_letter_topology

log = logging.getLogger(__name__)
ALARM_QUEUE_NAME = "tgd.dead-letter-alarms"


@dataclass(frozen=True)
class DeadLetterAlarm:
    queue: str
    reason: str
    event_type: str
    message_id: str


def on_alert_path(queue: str) -> bool:
    """Queues whose messages an alert needs: the alert service's (``rpc-alert``,
    ``evt-…--alert.…``, ``alert.…`` for the partners' replies) and a partner's (``partner.…``)."""
    return queue == "rpc-alert" or "--alert." in queue or queue.startswith(("alert.", "partner."))


def alarm_for(queue: str, reason: str, event_type: str, message_id: str) -> DeadLetterAlarm | None:
    if not on_alert_path(queue):
        return None
    if queue == "rpc-alert" and reason == "expired":
        return None
    return DeadLetterAlarm(queue=queue, reason=reason, event_type=event_type, message_id=message_id)


def alarm_queue() -> Queue:
    return Queue(
        ALARM_QUEUE_NAME,
        exchange=DEAD_LETTER_EXCHANGE,
        routing_key="#",
        durable=True,
        queue_arguments={"x-queue-type": "quorum"},
    )


class _HeadersOnlyConsumer(SafeConsumer):
    """The alarm reads where and why from the headers: a body that cannot be decoded (the
    very reason it died, often) still raises its alarm instead of being dropped."""

    def on_decode_error(self, message: Any, exc: Exception) -> None:
        for callback in self.callbacks:
            callback(None, message)


class DeadLetterAlarmEntrypoint(Consumer):
    consumer_cls = _HeadersOnlyConsumer

    def __init__(self, **kwargs: Any):
        super().__init__(alarm_queue(), requeue_on_error=True, **kwargs)

    def setup(self) -> None:
        declare_dead_letter_topology(self.amqp_uri)
        super().setup()

    def handle_message(self, body: Any, message: Any) -> None:
        letter = describe(message)
        alarm = alarm_for(letter.queue, letter.reason, letter.event_type, letter.message_id)
        if alarm is None:
            self.consumer.ack_message(message)
            return

        def spawn_worker() -> None:
            try:
                self.container.spawn_worker(self, (alarm,), {}, handle_result=partial(self.handle_result, message))
            except Exception:  # container being killed: give the copy back
                self.consumer.requeue_message(message)

        self.container.spawn_managed_thread(spawn_worker, identifier="dead_letter_alarm")


dead_letter_alarm = DeadLetterAlarmEntrypoint.decorator
