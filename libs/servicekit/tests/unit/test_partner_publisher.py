"""The partner publisher alert and notify share, and the providers every service shares
(pure: the AMQP publisher is replaced by a recorder, no broker)."""

from datetime import UTC, datetime

import pytest
from nameko import config

from tgd_contracts.alert import PartnerClosure
from tgd_contracts.envelope import build_envelope
from tgd_servicekit.partner_publisher import PARTNERS, PartnerPublisher
from tgd_servicekit.providers import FromConfig
from tgd_servicekit.timers import Clock

KEY = "police.03.csp-fictive.closure"
TRACEPARENT = f"00-{'1' * 32}-{'2' * 16}-01"


class Recorder:
    def __init__(self):
        self.calls: list[dict] = []

    def publish(self, payload, **options):
        self.calls.append({"payload": payload, **options})


class AlertPartners(PartnerPublisher):
    tracer_name = "tgd.test.partners"
    subject_attribute = "tgd.alert_id"


@pytest.fixture
def publisher():
    provider = AlertPartners()
    provider.setup()
    assert provider.publisher.retry_policy is not None  # nameko's default when the service names none
    provider.publisher = Recorder()
    return provider


def closure(alert_id: str = "alert-fictive-1"):
    data = PartnerClosure(alert_id=alert_id, closed_at=datetime(2026, 1, 5, 10, tzinfo=UTC))
    return build_envelope(
        source_service="alert", event_name="partner_closure", subject=alert_id, data=data, traceparent=TRACEPARENT
    )


def test_the_addressee_s_queue_is_declared_before_its_first_message_only(publisher):
    sender = publisher.get_dependency(None)
    sender.publish(closure("a-1"), KEY)
    sender.publish(closure("a-2"), KEY)
    first, second = publisher.publisher.calls
    assert [queue.name for queue in first["declare"]] == ["partner.police.03.csp-fictive"]
    assert second["declare"] == []
    assert (first["exchange"], first["routing_key"]) == (PARTNERS, KEY)


def test_the_headers_are_the_envelope_s_own(publisher):
    envelope = closure()
    publisher.get_dependency(None).publish(envelope, KEY)
    (call,) = publisher.publisher.calls
    assert call["headers"]["traceparent"] == TRACEPARENT
    assert call["headers"]["cloudEvents:id"] == envelope.id == call["message_id"]
    assert call["headers"]["cloudEvents:type"] == envelope.type == call["type"]
    assert call["payload"]["data"]["alert_id"] == "alert-fictive-1"


def test_a_service_chooses_its_retry_policy():
    class FailFast(PartnerPublisher):
        retry_policy = {"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.3}  # noqa: RUF012

    provider = FailFast()
    provider.setup()
    assert provider.publisher.retry_policy["max_retries"] == 1


class Delays(FromConfig):
    build = staticmethod(lambda values: int(values.get("FICTIVE_DELAY_S", 30)))


def test_a_config_value_is_built_at_setup_never_at_import():
    provider = Delays()
    with config.patch({"FICTIVE_DELAY_S": "12"}):
        provider.setup()
    assert provider.get_dependency(None) == 12


def test_a_bad_setting_stops_the_service_at_setup():
    with config.patch({"FICTIVE_DELAY_S": "twelve"}), pytest.raises(ValueError):
        Delays().setup()


def test_the_clock_is_utc():
    assert Clock().get_dependency(None)().tzinfo is UTC
