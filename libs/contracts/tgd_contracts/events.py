"""Event names (past-tense facts) used as AMQP routing keys, and their producers."""

from __future__ import annotations

from enum import StrEnum


class EventName(StrEnum):
    REFERRAL_RECEIVED = "referral_received"
    DEVICE_PROVISIONED = "device_provisioned"
    DEVICE_ACTIVATED = "device_activated"
    DEVICE_RETURNED = "device_returned"
    BENEFICIARY_MOVED = "beneficiary_moved"
    DEVICE_REPLACED = "device_replaced"
    DOSSIER_CHANGED = "dossier_changed"
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
    REQUISITION_OVERDUE = "requisition_overdue"
    # messages to partners on tgd.partners (notify service)
    ATTRIBUTION_NOTICE = "attribution_notice"
    NOTICE_ESCALATION = "notice_escalation"
    PARTNER_REMINDER = "partner_reminder"  # on tgd.partners (notify service)
    ALERT_RAISED = "alert_raised"
    ALERT_CLOSED = "alert_closed"
    ALERT_TEST_CALL = "alert_test_call"
    PARTNER_DISPATCH = "partner_dispatch"  # on tgd.partners
    PARTNER_CLOSURE = "partner_closure"  # on tgd.partners
    PARTNER_POSITION = "partner_position"  # on tgd.partners
    PARTNER_ACKNOWLEDGED = "partner_acknowledged"  # on tgd.partner-replies
    OUTCOME_REPORTED = "outcome_reported"  # on tgd.partner-replies
    NOTICE_ACKNOWLEDGED = "notice_acknowledged"  # on tgd.partner-replies


class ServiceName(StrEnum):
    REFERRAL = "referral"
    EVALUATION = "evaluation"
    DEVICE = "device"
    ALERT = "alert"
    NOTIFY = "notify"
    PARTNER = "partner"  # a police, gendarmerie or association system (tgd.partner-replies)
