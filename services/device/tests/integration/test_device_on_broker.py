"""The device service in a nameko container on the real RabbitMQ: provisioning from the
decision event, ``device.get_dossier`` over RPC (what the alert service calls), return."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from nameko.standalone.rpc import ServiceRpcClient

from device.models import DB_ALIAS
from device.service import DeviceService
from tgd_contracts.dossier import Dossier
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.evaluation import AttributionDecided, AttributionWithdrawn
from tgd_servicekit.testing.bus import publish_envelope

from ..factories import fiche, registration

pytestmark = pytest.mark.integration
T0 = datetime(2026, 4, 1, tzinfo=UTC)


@pytest.fixture
def device_service(container_factory, nameko_amqp_config, in_memory_db):
    in_memory_db(DB_ALIAS)
    container = container_factory(DeviceService)
    container.start()
    return container


def event_body(name, data):
    envelope = build_envelope(source_service="evaluation", event_name=name, subject=data.attribution_id, data=data)
    return json.dumps(envelope.model_dump(mode="json"))


def test_decision_event_then_fiche_provisions_and_get_dossier_serves_the_wire_form(
    device_service, vhost_uri, captured_events
):
    capture = captured_events("device")
    decided = AttributionDecided(
        attribution_id="att-broker",
        referral_id="ref",
        jurisdiction="tj-moulins",
        granted=True,
        decided_at=T0,
        ends_at=T0 + timedelta(days=180),
    )
    with ServiceRpcClient("device") as client:
        client.add_device(registration=registration(7))
        publish_envelope(
            vhost_uri, "evaluation.events", "attribution_decided", event_body("attribution_decided", decided)
        )
        client.record_fiche(attribution_id="att-broker", fiche=fiche())
        (message,) = capture.wait_for("device_provisioned")
        device_id = Envelope.consume(message.body).data["device_id"]
        dossier = Dossier.consume(client.get_dossier(device_id=device_id))
        assert (dossier.attribution_id, dossier.device_id) == ("att-broker", device_id)
        assert dossier.beneficiary.home.insee_code == "03901"
        withdrawn = AttributionWithdrawn(
            attribution_id="att-broker", jurisdiction="tj-moulins", reason="danger_ceased", withdrawn_at=T0
        )
        body = event_body("attribution_withdrawn", withdrawn)
        publish_envelope(vhost_uri, "evaluation.events", "attribution_withdrawn", body)
        publish_envelope(vhost_uri, "evaluation.events", "attribution_withdrawn", body)
        capture.wait_for("device_returned")
        capture.drain(0.5)
        assert len([m for m in capture.messages if m.routing_key == "device_returned"]) == 1
        stock = client.list_stock(jurisdiction="tj-moulins")
        assert (stock["in_stock"], stock["to_collect"]) == (0, 1)  # to be collected and reset first
