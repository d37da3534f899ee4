"""Nameko dependency providers of the device service."""

from __future__ import annotations

from typing import Any

from device.domain import Policy
from device.models import DB_ALIAS
from device.repository import DeviceRepository
from tgd_servicekit.durations import parse_period
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.providers import FromConfig


def device_database() -> MongoRepository:
    return MongoRepository(DB_ALIAS, DeviceRepository)


def policy_from_config(values: Any) -> Policy:
    return Policy(
        test_call_interval=parse_period(values.get("TEST_CALL_INTERVAL", "P15D")),
        test_call_reminder_lead=parse_period(values.get("TEST_CALL_REMINDER_LEAD", "P2D")),
        wipe_delay=parse_period(values.get("WIPE_DELAY", "P3D")),
    )


class PolicyProvider(FromConfig):
    """Test-call and wipe delays read from the service's configuration at start."""

    build = staticmethod(policy_from_config)
