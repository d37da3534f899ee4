"""The envelope entrypoint and dispatcher on the real broker: quorum queues, dead
letters for malformed messages, redelivery then dead letter for a failing handler."""

from datetime import UTC, datetime

import pytest
from kombu import Connection
from nameko.rpc import rpc

from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.handlers import envelope_handler
from tgd_servicekit.testing.bus import publish_raw
from tgd_servicekit.testing.processes import wait_until
from tgd_servicekit.topology import DEAD_LETTER_QUEUE, DELIVERY_LIMIT

pytestmark = pytest.mark.integration
HANDLED: list = []
CURED: set = set()
ATTEMPTS: dict[str, int] = {}


class Producer:
    name = "referral"  # publishes on referral.events like the real service
    events = EnvelopeDispatcher()

    @rpc
    def emit(self, referral_id):
        data = ReferralReceived(
            referral_id=referral_id,
            jurisdiction="tj-paris",
            urgency=Urgency.URGENT,
            referrer_kind=ProfessionalKind.LAWYER,
            received_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        return self.events.dispatch("referral_received", referral_id, data).id


class Listener:
    name = "listener"

    @envelope_handler("referral", "referral_received")
    def on_received(self, event):
        ATTEMPTS[event.data.referral_id] = ATTEMPTS.get(event.data.referral_id, 0) + 1
        if event.data.referral_id.startswith("poison") and not CURED:
            raise RuntimeError("cannot handle this one")
        HANDLED.append((event.envelope.id, event.data.referral_id, event.envelope.traceparent))


QUEUE = "evt-referral-referral_received--listener.on_received"


def dead_letters(vhost_uri):
    bodies = []
    with Connection(vhost_uri) as conn:
        queue = DEAD_LETTER_QUEUE(conn.default_channel)
        while (message := queue.get(no_ack=True)) is not None:
            bodies.append((message.body, message.headers))
    return bodies


@pytest.fixture
def running(container_factory, nameko_amqp_config, in_memory_db):
    HANDLED.clear()
    ATTEMPTS.clear()
    CURED.clear()
    producer = container_factory(Producer)
    listener = container_factory(Listener)
    producer.start()
    listener.start()
    return producer


def call(container, method, *args):
    from nameko.standalone.rpc import ServiceRpcClient

    with ServiceRpcClient(container.service_name) as client:
        return getattr(client, method)(*args)


def test_the_consumer_queue_is_a_quorum_queue_with_a_dead_letter_exchange(running, vhost_uri):
    with Connection(vhost_uri) as conn:
        # redeclaring with other arguments would fail: declaring with the same proves them
        from kombu import Exchange, Queue

        from tgd_servicekit.topology import consumer_queue_arguments

        Queue(
            QUEUE,
            Exchange("referral.events", type="topic"),
            "referral_received",
            durable=True,
            queue_arguments=consumer_queue_arguments(QUEUE),
        )(conn.default_channel).declare()
        with pytest.raises(Exception, match="PRECONDITION_FAILED"):
            Queue(QUEUE, durable=True)(conn.channel()).declare()


def test_a_dispatched_envelope_is_handled_once_with_its_trace_context(running):
    event_id = call(running, "emit", "ok-1")
    wait_until(lambda: HANDLED, 10, "the handler")
    assert HANDLED[0][0] == event_id
    assert HANDLED[0][1] == "ok-1"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"specversion": "1.0"}', "application/json"),
        (b"\x00\x01binary", "application/octet-stream"),
    ],
)
def test_malformed_messages_go_to_the_dead_letters_and_the_service_keeps_running(
    running, vhost_uri, body, content_type, bus_observer
):
    bus_observer.expect_violations(1)  # the observer catches it too
    publish_raw(vhost_uri, "referral.events", "referral_received", body, content_type=content_type)
    letters = wait_until(lambda: dead_letters(vhost_uri), 10, "a dead letter")
    received = letters[0][0]
    assert (received.encode() if isinstance(received, str) else received) == body
    assert letters[0][1]["x-first-death-queue"] == QUEUE
    call(running, "emit", "ok-after-malformed")
    wait_until(lambda: [h for h in HANDLED if h[1] == "ok-after-malformed"], 10, "the next valid event")


def test_a_handler_that_keeps_failing_is_retried_then_dead_lettered(running, vhost_uri):
    call(running, "emit", "poison-1")
    letters = wait_until(lambda: dead_letters(vhost_uri), 20, "the poison message in the dead letters")
    assert ATTEMPTS["poison-1"] == DELIVERY_LIMIT + 1
    assert "poison-1" in str(letters[0][0])
    call(running, "emit", "ok-after-poison")
    wait_until(lambda: [h for h in HANDLED if h[1] == "ok-after-poison"], 10, "the next valid event")


def test_an_operator_lists_then_replays_dead_letters_once_the_cause_is_fixed(running, vhost_uri):
    from tgd_servicekit.deadletters import list_dead_letters, replay

    event_id = call(running, "emit", "poison-2")
    letters = wait_until(lambda: list_dead_letters(vhost_uri), 20, "the poison message in the dead letters")
    assert [(x.message_id, x.queue, x.event_type) for x in letters] == [(event_id, QUEUE, "fr.tgd.referral_received")]
    assert list_dead_letters(vhost_uri) == letters  # listing removes nothing
    CURED.add(True)  # the bug is fixed
    assert [x.message_id for x in replay(vhost_uri, {event_id})] == [event_id]
    wait_until(lambda: [h for h in HANDLED if h[1] == "poison-2"], 10, "the replayed event handled")
    assert list_dead_letters(vhost_uri) == []
    assert replay(vhost_uri, None) == []
