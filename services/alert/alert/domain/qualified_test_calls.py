"""A press qualified as a test call (appel test), pure: it counts toward the test call
the beneficiary owes every 15 days, which the device service keeps (``alert_test_call``)."""

from __future__ import annotations

from datetime import datetime

from alert.domain.model import Alert
from alert.domain.routing import Outgoing
from tgd_contracts.alert import AlertTestCall, QualificationOutcome
from tgd_contracts.events import EventName


def messages_for_test_call(alert: Alert, now: datetime) -> list[Outgoing]:
    """The event for the device service, when the alert was a test call of an attributed device."""
    if alert.outcome != QualificationOutcome.TEST_CALL or alert.device.attribution_id is None:
        return []
    event = AlertTestCall(
        alert_id=alert.alert_id,
        device_id=alert.device.device_id,
        attribution_id=alert.device.attribution_id,
        called_at=min(p.at for p in alert.presses) if alert.presses else alert.raised_at,
        qualified_at=now,
    )
    return [Outgoing(EventName.ALERT_TEST_CALL, event)]
