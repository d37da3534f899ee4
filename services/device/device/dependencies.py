"""The device service's settings, read from its configuration at start (the service
declares ``policy = FromConfig(policy_from_config)``)."""

from __future__ import annotations

from typing import Any

from device.domain import Policy
from tgd_servicekit.durations import parse_period


def policy_from_config(values: Any) -> Policy:
    """Test-call and wipe delays."""
    return Policy(
        test_call_interval=parse_period(values.get("TEST_CALL_INTERVAL", "P15D")),
        test_call_reminder_lead=parse_period(values.get("TEST_CALL_REMINDER_LEAD", "P2D")),
        wipe_delay=parse_period(values.get("WIPE_DELAY", "P3D")),
    )
