"""Event names (past-tense facts) used as AMQP routing keys, and their producers."""

from __future__ import annotations

from enum import StrEnum


class EventName(StrEnum):
    REFERRAL_RECEIVED = "referral_received"
    DEVICE_PROVISIONED = "device_provisioned"
    DEVICE_ACTIVATED = "device_activated"
    DEVICE_RETURNED = "device_returned"
    FORCES_INFORMED = "forces_informed"
    # attribution lifecycle (evaluation, device and notify services)
    EVALUATION_REQUESTED = "evaluation_requested"
    EVALUATION_COMPLETED = "evaluation_completed"
    ATTRIBUTION_DECIDED = "attribution_decided"
    ATTRIBUTION_RENEWED = "attribution_renewed"
    ATTRIBUTION_EXPIRING = "attribution_expiring"
    ATTRIBUTION_WITHDRAWN = "attribution_withdrawn"
    ATTRIBUTION_EXPIRED = "attribution_expired"
    DEVICE_OUT_OF_STOCK = "device_out_of_stock"
    TEST_CALL_DUE = "test_call_due"
    TEST_CALL_OVERDUE = "test_call_overdue"
    # messages to partners on tgd.partners (notify service)
    ATTRIBUTION_NOTICE = "attribution_notice"
    NOTICE_ESCALATION = "notice_escalation"


class ServiceName(StrEnum):
    REFERRAL = "referral"
    EVALUATION = "evaluation"
    DEVICE = "device"
    ALERT = "alert"
    NOTIFY = "notify"
