"""Pipelined publisher confirms on the real broker: each message of a batch gets its own
result, in order."""

import pytest
from kombu import Exchange, Queue

from tgd_servicekit.confirms import ConfirmedBatch, Outgoing, Unroutable
from tgd_servicekit.testing.bus import MessageCapture

pytestmark = pytest.mark.integration
EXCHANGE = Exchange("batch.test", type="topic", durable=True)


def message(n: int, routing_key: str = "bound.key") -> Outgoing:
    return Outgoing({"n": n}, EXCHANGE, routing_key, {"x-test": str(n)}, f"id-{n}", "fr.tgd.test", declare=[EXCHANGE])


def test_a_batch_is_confirmed_message_by_message_and_arrives_in_order(vhost_uri):
    capture = MessageCapture(vhost_uri, [Queue("batch-capture", EXCHANGE, routing_key="bound.#", exclusive=True)])
    batch = ConfirmedBatch(vhost_uri, mandatory=True)
    try:
        results = batch.publish([message(n) for n in range(50)])
        assert results == [None] * 50
        got = capture.wait_until(lambda m: True, 50, 10, "the batch")
        assert [m.body["n"] for m in got] == list(range(50))
        assert got[0].properties["message_id"] == "id-0"
        assert got[0].headers["x-test"] == "0"
        assert got[0].properties["delivery_mode"] == 2  # persistent, as nameko publishes
    finally:
        batch.close()
        capture.close()


def test_an_unroutable_message_is_reported_alone_when_mandatory(vhost_uri):
    capture = MessageCapture(vhost_uri, [Queue("batch-capture-2", EXCHANGE, routing_key="bound.#", exclusive=True)])
    batch = ConfirmedBatch(vhost_uri, mandatory=True)
    try:
        results = batch.publish([message(1), message(2, "nowhere.key"), message(3)])
        assert results[0] is None
        assert results[2] is None
        assert isinstance(results[1], Unroutable)
        assert batch.publish([message(4)]) == [None]  # the connection is reused
    finally:
        batch.close()
        capture.close()


def test_an_unreachable_broker_fails_every_message_of_the_batch():
    batch = ConfirmedBatch("amqp://guest:guest@127.0.0.1:1//")
    results = batch.publish([message(1), message(2)])
    assert len(results) == 2
    assert all(isinstance(r, Exception) for r in results)
