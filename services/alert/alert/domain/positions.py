"""Her new positions during a dispatched alert (pure): each one she consented to goes
at once to every force already alerted — the operations centres of the ladder and her
home's unit, not the association — with its accuracy radius, its fix time and the
commune nearest to it (``partner_position`` on ``tgd.partners``)."""

from __future__ import annotations

from datetime import datetime

from alert.domain import territory as where
from alert.domain.model import Alert
from alert.domain.routing import COMMAND, COMPETENT, OTHER_FORCE, Outgoing, latest_position
from alert.domain.territory import Territory
from tgd_contracts.alert import AlertState, PartnerPosition, RoutingBasis
from tgd_contracts.centres import BACKUP, CENTRE
from tgd_contracts.events import EventName
from tgd_contracts.partners import MessageKind

FORCES = (CENTRE, BACKUP, COMMAND, COMPETENT, OTHER_FORCE)


def position_messages(alert: Alert, now: datetime, territory: Territory) -> list[Outgoing]:
    """The latest position (kept only with her consent) to every force already alerted."""
    position = latest_position(alert)
    if alert.state != AlertState.DISPATCHED or position is None:
        return []
    status = where.fix_status(position, now, territory.policy)
    located = where.locate(territory, position, status, None, None)
    near = located if located.basis == RoutingBasis.POSITION else None
    return [
        Outgoing(
            EventName.PARTNER_POSITION,
            PartnerPosition(
                alert_id=alert.alert_id,
                dispatch_id=d.dispatch_id,
                recipient=d.recipient,
                position=position,
                position_status=status,
                located=near,
            ),
            d.recipient,
            MessageKind.POSITION,
        )
        for d in alert.deliveries
        if d.step in FORCES
    ]
