"""Event names (past-tense facts) used as AMQP routing keys, and their producers."""

from __future__ import annotations

from enum import StrEnum


class EventName(StrEnum):
    REFERRAL_RECEIVED = "referral_received"
    DEVICE_PROVISIONED = "device_provisioned"
    DEVICE_ACTIVATED = "device_activated"
    DEVICE_RETURNED = "device_returned"
    FORCES_INFORMED = "forces_informed"
    ALERT_RAISED = "alert_raised"
    ALERT_CLOSED = "alert_closed"
    PARTNER_DISPATCH = "partner_dispatch"  # on tgd.partners
    PARTNER_CLOSURE = "partner_closure"  # on tgd.partners
    PARTNER_ACKNOWLEDGED = "partner_acknowledged"  # on tgd.partner-replies
    OUTCOME_REPORTED = "outcome_reported"  # on tgd.partner-replies


class ServiceName(StrEnum):
    REFERRAL = "referral"
    EVALUATION = "evaluation"
    DEVICE = "device"
    ALERT = "alert"
    NOTIFY = "notify"
    PARTNER = "partner"  # a police, gendarmerie or association system (tgd.partner-replies)
