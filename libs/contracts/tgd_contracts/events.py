"""Event names (past-tense facts) used as AMQP routing keys, and their producers."""

from __future__ import annotations

from enum import StrEnum


class EventName(StrEnum):
    REFERRAL_RECEIVED = "referral_received"


class ServiceName(StrEnum):
    REFERRAL = "referral"
    EVALUATION = "evaluation"
    DEVICE = "device"
    ALERT = "alert"
    NOTIFY = "notify"
