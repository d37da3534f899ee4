"""The referral service in a nameko container on the real RabbitMQ."""

import json

import pytest
from nameko.standalone.rpc import ServiceRpcClient

from referral.models import DB_ALIAS
from referral.service import ReferralService
from tgd_contracts.envelope import Envelope
from tgd_contracts.examples import referral
from tgd_servicekit.testing.bus import publish_raw, queue_depth
from tgd_servicekit.testing.processes import wait_until

pytestmark = pytest.mark.integration

BODY = referral.submission(kind="spip", jurisdiction="tj-nanterre")


@pytest.fixture
def referral_service(container_factory, nameko_amqp_config, in_memory_db):
    in_memory_db(DB_ALIAS)
    container = container_factory(ReferralService)
    container.start()
    return container


def test_submit_over_rpc_publishes_a_valid_cloudevent(referral_service, captured_events):
    capture = captured_events("referral")
    with ServiceRpcClient("referral") as client:
        result = client.submit_referral(idempotency_key="integration-0001", submission=BODY)
    (message,) = capture.wait_for("referral_received")
    envelope = Envelope.consume(message.body)
    assert envelope.subject == result["referral"]["id"]
    assert envelope.data["jurisdiction"] == "tj-nanterre"
    assert message.properties["delivery_mode"] == 2  # persistent
    assert message.headers["cloudEvents:id"] == envelope.id
    assert "EXEMPLE" not in json.dumps(message.body)


def test_malformed_rpc_requests_get_an_error_and_the_service_keeps_serving(referral_service, vhost_uri):
    for body in (b"{not json", b'{"no": "args"}', b"[]"):
        publish_raw(vhost_uri, "nameko-rpc", "referral.submit_referral", body, reply_to="nowhere", correlation_id="x")
    publish_raw(vhost_uri, "nameko-rpc", "referral.no_such_method", b'{"args": [], "kwargs": {}}', reply_to="nowhere")
    valid_without_reply_to = json.dumps({"args": [], "kwargs": {"idempotency_key": "no-reply-1", "submission": BODY}})
    publish_raw(vhost_uri, "nameko-rpc", "referral.submit_referral", valid_without_reply_to)
    with ServiceRpcClient("referral") as client:
        result = client.submit_referral(idempotency_key="integration-0002", submission=BODY)
        assert result["created"] is True
        assert client.get_referral(referral_id=result["referral"]["id"])["id"] == result["referral"]["id"]
        page = client.list_referrals(query={"jurisdiction": "tj-nanterre"})
    assert page["total"] == 1  # the request without reply_to was not run
    dead = wait_until(lambda: dead_letter_count(vhost_uri, 2), 10, "two dead letters")
    assert dead >= 2  # undecodable + no reply_to


def dead_letter_count(uri, at_least):
    count = queue_depth(uri, "tgd.dead-letters")
    return count if count >= at_least else 0
