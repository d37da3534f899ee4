"""Which dead letters raise the alert-path alarm, and a lost connection at acknowledgement
time does not kill a service (pure: no broker)."""

from types import SimpleNamespace

import pytest
from amqp.exceptions import RecoverableConnectionError
from kombu.exceptions import OperationalError

from tgd_servicekit.alarms import alarm_for, on_alert_path
from tgd_servicekit.consumers import SafeConsumer


@pytest.mark.parametrize(
    ("queue", "expected"),
    [
        ("rpc-alert", True),
        ("evt-device-device_activated--alert.on_device_activated", True),
        ("partner.police.03.csp-fictive", True),
        ("alert.partner-replies.acknowledgement", True),
        ("evt-referral-referral_received--evaluation.on_referral_received", False),
        ("rpc-device", False),
    ],
)
def test_the_alert_path(queue, expected):
    assert on_alert_path(queue) is expected


def test_an_expired_rpc_request_is_not_an_alarm_but_a_rejected_event_is():
    assert alarm_for("rpc-alert", "expired", "?", "m1") is None
    alarm = alarm_for("rpc-alert", "rejected", "?", "m1")
    assert alarm is not None
    assert alarm.queue == "rpc-alert"
    assert alarm_for("rpc-device", "rejected", "?", "m1") is None


class Broken:
    def __init__(self, exc):
        self.exc = exc
        self.channel = SimpleNamespace(connection=object())

    def ack(self):
        raise self.exc

    def requeue(self):
        raise self.exc


@pytest.mark.parametrize(
    "exc", [ConnectionResetError(104, "reset"), OperationalError("refused"), RecoverableConnectionError("gone")]
)
def test_an_acknowledgement_on_a_dead_connection_does_not_raise(exc):
    consumer = SafeConsumer.__new__(SafeConsumer)
    consumer.ack_message(Broken(exc))  # nameko let these escape and the container died
    consumer.requeue_message(Broken(exc))


def test_other_errors_still_raise():
    consumer = SafeConsumer.__new__(SafeConsumer)
    with pytest.raises(ValueError):
        consumer.ack_message(Broken(ValueError("a bug")))
