"""A further press on an open incident (appui répété), pure: a press is never silenced.

- raised or taken: the operator sees one more press (and her newer position);
- redirected ("no danger"): the incident goes back to an operator, the failsafe clock
  restarted (:func:`reopen`); the operator may then qualify it as danger,
  and if nobody takes it the failsafe dispatches it;
- dispatched: forwarded at once to every force already alerted (``partner_dispatch``
  of kind ``press``, with the same ``dispatch_id`` as the delivery it follows), with her
  latest position only when the dossier records her consent to geolocation.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from alert.domain import lifecycle
from alert.domain.model import SYSTEM, Alert, Delivery
from alert.domain.routing import Outgoing, message_for
from tgd_contracts.alert import AlertState, DispatchKind, Position
from tgd_contracts.dossier import Dossier
from tgd_contracts.partners import Audience


def consented(dossier: Dossier | None) -> bool:
    """Her position goes out only with her recorded consent (géolocalisation, "avec l'accord
    de la victime"); without a dossier nothing says she consented."""
    return dossier is not None and dossier.beneficiary.geolocation_consent


def forces_alerted(alert: Alert) -> list[Delivery]:
    """The latest delivery to each force (or command centre) addressed so far."""
    latest: dict[tuple[str, str, str], Delivery] = {}
    for d in alert.deliveries:
        if d.recipient.audience != Audience.ASSOCIATION:
            r = d.recipient
            latest[(r.audience.value, r.territory, r.unit)] = d
    return list(latest.values())


def reopen(alert: Alert, now: datetime) -> None:
    """Back to an operator (state ``raised``, relance): the failsafe clock runs again from
    ``reopened_at``; the previous "no danger" stays in the journal, not as the outcome."""
    alert.state = AlertState.RAISED
    alert.reopened_at = now
    alert.outcome = None
    alert.operator = None
    alert.taken_at = None
    alert.note(now, SYSTEM, "reopened", f"press {len(alert.presses)} after no_danger")


def press_forward(alert: Alert, delivery: Delivery, pressed_at: datetime, dossier: Dossier | None) -> Outgoing:
    out = message_for(alert, delivery, dossier)
    position: Position | None = alert.positions[-1] if alert.positions and consented(dossier) else None
    data = out.data.model_copy(update={"kind": DispatchKind.PRESS, "pressed_at": pressed_at, "position": position})
    return dataclasses.replace(out, data=data)


def on_press(
    alert: Alert,
    *,
    press_id: str,
    triggered_at: datetime,
    position: Position | None,
    now: datetime,
    dossier: Dossier | None,
) -> list[Outgoing]:
    """Record the press on the open incident and say who must hear of it now."""
    state = alert.state
    lifecycle.join_press(alert, press_id=press_id, triggered_at=triggered_at, position=position, now=now)
    if state == AlertState.REDIRECTED:
        reopen(alert, now)
        return []
    if state != AlertState.DISPATCHED:
        return []
    forces = forces_alerted(alert)
    targets = ", ".join(f"{d.recipient.audience.value}.{d.recipient.territory}.{d.recipient.unit}" for d in forces)
    alert.note(now, SYSTEM, "press-forwarded", targets or "no force addressed")
    return [press_forward(alert, d, triggered_at, dossier) for d in forces]
