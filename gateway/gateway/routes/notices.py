"""Forces informed (information des forces de l'ordre): acknowledging a notice (each
route forwards to the notify service: :mod:`gateway.routes.forward`)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.routes.forward import Forward, hex_id
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.notice import InformationView, NoticeAcknowledgement

router = APIRouter(tags=["notices"])
notify = Forward(router, ServiceName.NOTIFY)


@notify.post(
    "/v1/notices/{notice_id}/acknowledgement", InformationView, ErrorCode.NOTICE_NOT_FOUND, ErrorCode.INVALID_STATE
)
def acknowledge_notice(notice_id: hex_id("Notice id, as received."), acknowledgement: NoticeAcknowledgement):
    """Acknowledge a notice of attribution (accusé de réception)

    The unit the notice was addressed to (unit_code) acknowledges it; the gendarmerie says whether the beneficiary
    is registered in SIP. Unacknowledged notices are re-sent, then escalated. Repeating it changes nothing."""


@notify.get("/v1/attributions/{attribution_id}/notices", InformationView, ErrorCode.ATTRIBUTION_NOT_FOUND)
def get_information(attribution_id: hex_id("Attribution id.")):
    """Which forces were informed and who acknowledged (suivi de l'information des forces)"""
