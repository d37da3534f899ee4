"""The steps of an alert's path and their delays, read from its record (``AlertView`` as
a dict: what ``GET /v1/alerts/{id}`` and the alert service's ``get_alert`` answer).

press (the key pressed, ``presses[0]``) -> on the operator's list (the record stored:
journal ``raised``; the next read of the list shows it) -> taken (journal ``taken``;
BS 8484's "accepted") -> qualified (journal ``qualified``, or the failsafe) -> dispatched
(the first dispatch sent) -> acknowledged (the last acknowledgement of the dispatches).
A step not reached yet is absent. Used by ``tgd slo`` and the alert service's metrics
(which passes its domain object: attributes of the same names are read like keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

STEPS = ("on_list", "taken", "qualified", "dispatched", "acknowledged")
AUTOMATIC = "failsafe"  # the journal kind of an automatic decision (no operator in time)


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def _at(value: Any) -> datetime | None:
    if value is not None and not isinstance(value, datetime | str):
        value = _field(value, "at")  # a press recorded as {press_id, at}
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return None


def _journal(record: Any, *kinds: str) -> datetime | None:
    times = [_at(_field(e, "at")) for e in _field(record, "journal") or [] if _field(e, "kind") in kinds]
    known = [t for t in times if t is not None]
    return min(known) if known else None


def step_instants(record: Any) -> dict[str, datetime]:
    """``press`` and each step reached, as instants."""
    presses = [p for p in (_at(v) for v in _field(record, "presses") or []) if p is not None]
    deliveries = _field(record, "deliveries") or []
    dispatched = [_at(_field(d, "first_sent_at")) for d in deliveries]
    acknowledged = [_at(_field(d, "acknowledged_at")) for d in deliveries]
    raised = _at(_field(record, "raised_at"))
    found: dict[str, datetime | None] = {
        "press": min(presses) if presses else raised,
        "on_list": _journal(record, "raised") or raised,
        "taken": _journal(record, "taken", AUTOMATIC),
        "qualified": _journal(record, "qualified", AUTOMATIC),
        "dispatched": min((t for t in dispatched if t), default=None),
        "acknowledged": max(acknowledged) if deliveries and all(acknowledged) else None,  # type: ignore[type-var]
    }
    return {step: at for step, at in found.items() if at is not None}


def step_delays(record: Any) -> dict[str, float]:
    """Seconds from the press to each step reached (never negative: clocks differ)."""
    instants = step_instants(record)
    press = instants.get("press")
    if press is None:
        return {}
    return {step: max(0.0, (instants[step] - press).total_seconds()) for step in STEPS if step in instants}
