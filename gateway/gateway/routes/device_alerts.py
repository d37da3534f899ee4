"""Routes for the device platform (plateforme de téléassistance): an alert key was
pressed, or a device with an open alert reports a new position (each route forwards to
the alert service: :mod:`gateway.routes.forward`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from gateway.routes.forward import Forward
from tgd_contracts.alert import AlertTrigger, PositionUpdate, TriggerResult
from tgd_contracts.alert_views import DeviceRouting, PositionRecorded
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName

router = APIRouter(prefix="/v1/device-alerts", tags=["device-alerts"])
alert = Forward(router, ServiceName.ALERT)
PlatformDeviceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


@alert.post("", TriggerResult, status_code=202)
def trigger_alert(trigger: AlertTrigger):
    """An alert key was pressed (déclenchement d'alerte)

    Answers 202 once the alert is stored by the alert service. A retry with the same `press_id` is recognised
    (`duplicate: true`); a press within the grouping window joins the open incident (`joined: true`); on an
    incident qualified 'no danger' it re-opens it for an operator, on a dispatched one it is forwarded to the forces
    alerted. Unknown, inactive or returned devices are accepted and flagged (`unknown_device`, `inactive_device`,
    `returned_device`), never refused."""


@alert.post("/positions", PositionRecorded, ErrorCode.NO_OPEN_ALERT, status_code=202)
def update_position(update: PositionUpdate):
    """A new position of a device whose alert is open"""


@alert.get("/devices/{device_id}", DeviceRouting)
def device_routing(device_id: PlatformDeviceId):
    """Is this device ready for an alert (active, competent unit known, dossier held)?"""
