"""Fake answers of the alert service for the authorisation matrix and the fuzzer
(shapes validated by the contracts). ``jurisdiction_of(alert_id)`` says where an alert
lives; a partner's reply is accepted only from a recipient of that alert's territory,
as the real service accepts it only from a recipient it dispatched to."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tgd_contracts.alert import AlertTrigger, OutcomeReport, PartnerReply, PositionUpdate
from tgd_contracts.alert_views import AlertHistory, AlertView, DeviceRouting, OpenAlerts
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.retention import AlertTerritory, PositionRetentionAuthorisation, PositionRetentionView

AT = "2026-06-01T22:00:00Z"
STORABLE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def fake_alert(alert_id: str, jurisdiction: str) -> dict[str, Any]:
    return AlertView.model_validate(
        {
            "alert_id": alert_id,
            "state": "dispatched",
            "device_id": "dev-0001",
            "jurisdiction": jurisdiction,
            "flags": [],
            "raised_at": AT,
            "presses": [AT],
            "positions": [],
            "automatic": False,
            "deliveries": [],
            "journal": [],
        }
    ).to_wire()


def alert_handlers(jurisdiction_of: Callable[[str], str]) -> dict[tuple[str, str], Callable[..., Any]]:
    def view(alert_id: str, **_: Any) -> dict[str, Any]:
        if not STORABLE_ID.fullmatch(alert_id):  # a lookup runs before the path is validated
            raise TgdError(code=ErrorCode.ALERT_NOT_FOUND)  # the real service stores no such id
        return fake_alert(alert_id, jurisdiction_of(alert_id))

    def from_recipient(alert_id: str, recipient: dict[str, Any]) -> dict[str, Any]:
        jurisdiction = jurisdiction_of(alert_id)
        territory = jurisdiction if recipient["audience"] == "association" else JURISDICTIONS[jurisdiction].department
        if recipient["territory"] != territory:
            raise TgdError(code=ErrorCode.ALERT_NOT_FOUND)  # never dispatched to this recipient
        return view(alert_id)

    def trigger(trigger: dict[str, Any]) -> dict[str, Any]:
        AlertTrigger.model_validate(trigger)
        return {"alert_id": "a" * 32, "joined": False, "duplicate": False, "flags": []}

    def position(update: dict[str, Any]) -> dict[str, Any]:
        PositionUpdate.model_validate(update)
        return {"alert_id": "a" * 32}

    def acknowledge(alert_id: str, reply: dict[str, Any]) -> dict[str, Any]:
        return from_recipient(alert_id, PartnerReply.model_validate(reply).recipient.to_wire())

    def outcome(alert_id: str, report: dict[str, Any]) -> dict[str, Any]:
        return from_recipient(alert_id, OutcomeReport.model_validate(report).recipient.to_wire())

    def routing(device_id: str) -> dict[str, Any]:
        return DeviceRouting(device_id=device_id, known=False, active=False, has_dossier=False).to_wire()

    return {
        ("alert", "trigger_alert"): trigger,
        ("alert", "update_position"): position,
        ("alert", "device_routing"): routing,
        ("alert", "list_open_alerts"): lambda: OpenAlerts(items=[]).to_wire(),
        ("alert", "alerts_of_jurisdiction"): lambda jurisdiction, days=90: AlertHistory(
            jurisdiction=jurisdiction, items=[]
        ).to_wire(),
        ("alert", "qualification_script"): lambda: {"questions": []},
        ("alert", "get_alert"): view,
        ("alert", "take_alert"): view,
        ("alert", "answer_question"): view,
        ("alert", "qualify_alert"): view,
        ("alert", "close_alert"): view,
        ("alert", "acknowledge"): acknowledge,
        ("alert", "report_outcome"): outcome,
        **retention_handlers(jurisdiction_of),
    }


def retention_handlers(jurisdiction_of: Callable[[str], str]) -> dict[tuple[str, str], Callable[..., Any]]:
    """The prosecutor's authorisation to keep an alert's positions 8 days (alert.retention)."""

    def territory(alert_id: str) -> dict[str, Any]:
        if not re.fullmatch(r"[0-9a-f]{32}", alert_id):  # the lookup runs before the path is checked
            raise TgdError(code=ErrorCode.ALERT_NOT_FOUND)  # as the real service: no such alert
        return AlertTerritory(alert_id=alert_id, jurisdiction=jurisdiction_of(alert_id)).to_wire()

    def authorise(alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        grant = PositionRetentionAuthorisation.model_validate(request)
        return PositionRetentionView(
            alert_id=alert_id,
            extended=True,
            positions_purge_at="2026-06-09T22:00:00Z",
            authorised_by=grant.authorised_by,
            client_id=grant.client_id,
            authorised_at=AT,
        ).to_wire()

    return {("alert", "alert_territory"): territory, ("alert", "authorise_position_retention"): authorise}
