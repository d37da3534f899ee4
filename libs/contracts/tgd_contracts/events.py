"""Event names (past-tense facts) used as AMQP routing keys, and their producers."""

from __future__ import annotations

from enum import StrEnum


class EventName(StrEnum):
    REFERRAL_RECEIVED = "referral_received"
    DEVICE_PROVISIONED = "device_provisioned"
    DEVICE_ACTIVATED = "device_activated"
    DEVICE_RETURNED = "device_returned"
    FORCES_INFORMED = "forces_informed"


class ServiceName(StrEnum):
    REFERRAL = "referral"
    EVALUATION = "evaluation"
    DEVICE = "device"
    ALERT = "alert"
    NOTIFY = "notify"
