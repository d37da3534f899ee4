"""The evaluation service in a nameko container on the real RabbitMQ."""

import json
from datetime import UTC, datetime

import pytest
from nameko.standalone.rpc import ServiceRpcClient

from evaluation.models import DB_ALIAS, MeasureDocument
from evaluation.service import EvaluationService
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.referral import ReferralReceived
from tgd_servicekit.testing.bus import publish_envelope, publish_raw, queue_depth
from tgd_servicekit.testing.processes import wait_until

from ..factories import CONSENT, REQUISITION, decision, report

pytestmark = pytest.mark.integration


@pytest.fixture
def evaluation_service(container_factory, nameko_amqp_config, in_memory_db):
    in_memory_db(DB_ALIAS)
    container = container_factory(EvaluationService)
    container.start()
    return container


def referral_received_body(referral_id="ref-broker-1"):
    data = ReferralReceived(
        referral_id=referral_id,
        jurisdiction="tj-cusset",
        urgency="urgent",
        referrer_kind="spip",
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    envelope = build_envelope(source_service="referral", event_name="referral_received", subject=referral_id, data=data)
    return json.dumps(envelope.model_dump(mode="json"))


def test_a_replayed_referral_received_opens_one_measure_and_the_path_emits_cloudevents(
    evaluation_service, vhost_uri, captured_events
):
    capture = captured_events("evaluation")
    body = referral_received_body()
    publish_envelope(vhost_uri, "referral.events", "referral_received", body)
    publish_envelope(vhost_uri, "referral.events", "referral_received", body)
    with ServiceRpcClient("evaluation") as client:
        wait_until(lambda: client.get_measure(referral_id="ref-broker-1"), 10, "the measure")
        client.request_evaluation(referral_id="ref-broker-1", requisition=REQUISITION)
        client.file_report(referral_id="ref-broker-1", report=report())
        client.record_consent(referral_id="ref-broker-1", consent=CONSENT)
        view = client.decide(referral_id="ref-broker-1", decision=decision())
    (message,) = capture.wait_for("attribution_decided")
    envelope = Envelope.consume(message.body)
    assert envelope.subject == view["attribution_id"]
    assert envelope.data["granted"] is True
    assert message.properties["delivery_mode"] == 2
    capture.drain(0.5)
    assert MeasureDocument.objects.count() == 1
    assert len([m for m in capture.messages if m.routing_key == "evaluation_requested"]) == 1


def test_a_malformed_referral_received_goes_to_the_dead_letters(evaluation_service, vhost_uri, bus_observer):
    bus_observer.expect_violations(1)  # the observer sees the malformed message too
    publish_raw(vhost_uri, "referral.events", "referral_received", json.dumps({"specversion": "1.0"}))
    wait_until(lambda: queue_depth(vhost_uri, "tgd.dead-letters") >= 1, 10, "a dead letter")
    assert MeasureDocument.objects.count() == 0
