"""What an alert event changes on the open-alerts list, applied by the live streams before
they re-read the list (pure: no I/O).

``alert_raised`` adds the new alert's line as the alert service will list it (raised, one
press, not acknowledged: its ids, court, flags and time come with the event — no
identity); ``alert_closed`` removes the line. The stream's next read of the list is the
truth and replaces it: applying the same change twice, or a change the read already
holds, changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from tgd_contracts.alert import AlertClosed, AlertRaised, AlertState
from tgd_contracts.alert_views import OpenAlertSummary
from tgd_contracts.events import EventName

MAX_LINES = 200  # the alert service lists at most this many (the oldest first)


@dataclass(frozen=True)
class ListChange:
    alert_id: str
    line: dict[str, Any] | None = None  # the line an alert adds; None: the alert leaves the list


def change_of(event_name: str, body: bytes) -> ListChange | None:
    """The change an event's envelope makes, or None (another event, or unreadable)."""
    try:
        data = json.loads(body)["data"]
        if event_name == EventName.ALERT_RAISED:
            raised = AlertRaised.consume(data)
            return ListChange(raised.alert_id, new_line(raised))
        if event_name == EventName.ALERT_CLOSED:
            return ListChange(AlertClosed.consume(data).alert_id)
    except (ValueError, KeyError, TypeError, ValidationError):
        return None
    return None


def new_line(raised: AlertRaised) -> dict[str, Any]:
    """The line of an alert just raised, as ``list_open_alerts`` gives it."""
    return OpenAlertSummary(
        alert_id=raised.alert_id,
        state=AlertState.RAISED,
        device_id=raised.device_id,
        jurisdiction=raised.jurisdiction,
        flags=list(raised.flags),
        raised_at=raised.raised_at,
        presses=1,
        acknowledged=False,
    ).to_wire()


def applied(items: list[dict[str, Any]], changes: Sequence[ListChange]) -> list[dict[str, Any]]:
    """The list's lines once ``changes`` are applied in order (oldest alert first)."""
    lines = list(items)
    for change in changes:
        present = any(line.get("alert_id") == change.alert_id for line in lines)
        if change.line is None:
            lines = [line for line in lines if line.get("alert_id") != change.alert_id]
        elif not present and len(lines) < MAX_LINES:
            at = raised_at(change.line)
            index = next((i for i, line in enumerate(lines) if raised_at(line) > at), len(lines))
            lines.insert(index, change.line)
    return lines


def raised_at(line: dict[str, Any]) -> datetime:
    try:
        at = datetime.fromisoformat(str(line["raised_at"]))
    except (KeyError, ValueError):
        return datetime.min.replace(tzinfo=UTC)
    return at if at.tzinfo else at.replace(tzinfo=UTC)
