"""The alert as the operator screen and the gateway see it (contract models)."""

from __future__ import annotations

from alert.domain import Alert, DeviceFacts
from alert.operations import dossier_of
from tgd_contracts.alert_views import (
    AlertHistory,
    AlertHistoryItem,
    AlertView,
    DeliveryView,
    DeviceRouting,
)


def alert_view(alert: Alert) -> AlertView:
    return AlertView(
        alert_id=alert.alert_id,
        state=alert.state,
        device_id=alert.device.device_id,
        attribution_id=alert.device.attribution_id,
        jurisdiction=alert.device.jurisdiction,
        flags=alert.flags,
        raised_at=alert.raised_at,
        presses=[p.at for p in alert.presses],
        positions=alert.positions,
        operator=alert.operator,
        outcome=alert.outcome,
        automatic=alert.automatic,
        result=alert.result,
        closed_at=alert.closed_at,
        reopened_at=alert.reopened_at,
        deliveries=[
            DeliveryView(
                dispatch_id=d.dispatch_id,
                recipient=d.recipient,
                kind=d.kind,
                attempts=d.attempts,
                first_sent_at=d.first_sent_at,
                last_sent_at=d.last_sent_at,
                acknowledged_at=d.acknowledged_at,
                step=d.step,
                name=d.name,
                phone=d.phone,
            )
            for d in alert.deliveries
        ],
        journal=alert.journal,
        dossier=dossier_of(alert),
        position_status=alert.located.position_status if alert.located else None,
        located=alert.located,
    )


def device_routing(facts: DeviceFacts) -> DeviceRouting:
    return DeviceRouting(
        **facts.model_dump(exclude={"dossier", "activated_at", "returned_at", "home_since", "replaced_at"}),
        has_dossier=facts.dossier is not None,
    )


def alert_history(jurisdiction: str, alerts: list[Alert], limit: int) -> AlertHistory:
    """A court's alerts, the newest first, with their outcome (no identity, no position)."""
    mine = sorted((a for a in alerts if a.device.jurisdiction == jurisdiction), key=lambda a: a.raised_at, reverse=True)
    return AlertHistory(
        jurisdiction=jurisdiction,
        items=[
            AlertHistoryItem(
                alert_id=a.alert_id,
                state=a.state,
                raised_at=a.raised_at,
                presses=len(a.presses),
                outcome=a.outcome,
                automatic=a.automatic,
                result=a.result,
                closed_at=a.closed_at,
            )
            for a in mine[:limit]
        ],
    )
