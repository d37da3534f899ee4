"""A partner's retention rules (durée de conservation, arrêté du 22 avril 2015), pure: no I/O.

Applied to the records a partner keeps (``{"received_at", "routing_key", "event"}``, the
default handler's JSON lines) at a given instant ``now``:

- **positions** (``position``, and ``located``, the commune found from it) of a dispatch,
  an escalation, a press or a ``partner_position``: removed 72 h after **the alert** was
  raised (``raised_at`` of the alert's dispatch, not when the message was received);
  a position update whose alert was never received here counts from its own fix or
  receipt, whichever is earlier;
- **the dossier**: ``dossier`` of a dispatch, and ``beneficiary``, ``author``,
  ``author_release`` of a notice, removed once the measure has ended for this partner,
  i.e. once an ``attribution_notice`` of purpose ``measure_ended`` was received, or
  ``moved_away`` (she left your area: you serve her no more, and the platform will not
  tell you of the end): for that attribution's notices sent until then, and for the
  dispatches of that device raised until then (she may move back: the new notice keeps
  its dossier; a returned device is attributed again: the next woman's alerts keep theirs).

A purged record keeps its ids (CloudEvent ``source`` and ``id``, the alert, the
dispatch, the notice: the inbox that makes handling idempotent, and the trace of what
was received) and lists what was removed in ``"purged"``. Nothing else is changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

POSITION_RETENTION = timedelta(hours=72)
POSITION_FIELDS = ("position", "located", "sealed")  # sealed: never opened here, holds a position
DOSSIER_FIELDS = {
    "partner_dispatch": ("dossier",),
    "attribution_notice": ("beneficiary", "author", "author_release"),
}
MEASURE_ENDED = "measure_ended"
#: notice purposes after which this partner holds her dossier no more
END_PURPOSES = frozenset({MEASURE_ENDED, "moved_away"})

Record = dict[str, Any]


@dataclass(frozen=True)
class Purged:
    """What one pass removed: how many records lost their positions, their dossier."""

    positions: int = 0
    dossiers: int = 0

    def __bool__(self) -> bool:
        return bool(self.positions or self.dossiers)


def _instant(value: Any) -> datetime | None:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _name(record: Record) -> str:
    kind = str(record.get("event", {}).get("type", ""))
    return kind.removeprefix("fr.tgd.")


def _data(record: Record) -> dict[str, Any]:
    data = record.get("event", {}).get("data")
    return data if isinstance(data, dict) else {}


def _alert_times(records: Iterable[Record]) -> dict[str, datetime]:
    """The earliest known ``raised_at`` of each alert."""
    times: dict[str, datetime] = {}
    for record in records:
        data = _data(record)
        raised = _instant(data.get("raised_at")) if _name(record) == "partner_dispatch" else None
        alert = data.get("alert_id")
        if raised and isinstance(alert, str) and (alert not in times or raised < times[alert]):
            times[alert] = raised
    return times


def _latest(times: dict[str, datetime], key: str, moment: datetime) -> None:
    if key not in times or moment > times[key]:
        times[key] = moment


def _ends(records: Iterable[Record]) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """The latest end (for this partner) known per attribution and per device."""
    attributions: dict[str, datetime] = {}
    devices: dict[str, datetime] = {}
    for record in records:
        data = _data(record)
        if _name(record) != "attribution_notice" or data.get("purpose") not in END_PURPOSES:
            continue
        ended = _instant(data.get("sent_at")) or _instant(record.get("received_at"))
        if ended is not None:
            _latest(attributions, str(data.get("attribution_id")), ended)
            _latest(devices, str(data.get("device_id")), ended)
    return attributions, devices


def _position_since(record: Record, alerts: dict[str, datetime]) -> datetime | None:
    data = _data(record)
    known = alerts.get(str(data.get("alert_id")))
    if known is not None:
        return known
    candidates = [_instant((data.get("position") or {}).get("fixed_at")), _instant(record.get("received_at"))]
    found = [c for c in candidates if c is not None]
    return min(found) if found else None


def _dossier_ended(record: Record, attributions: dict[str, datetime], devices: dict[str, datetime]) -> bool:
    data, name = _data(record), _name(record)
    if name == "attribution_notice":
        ended, sent = attributions.get(str(data.get("attribution_id"))), _instant(data.get("sent_at"))
    elif name == "partner_dispatch":
        ended, sent = devices.get(str(data.get("device_id"))), _instant(data.get("raised_at"))
    else:
        return False
    return ended is not None and (sent is None or sent <= ended)


def _strip(record: Record, fields: Iterable[str], label: str) -> bool:
    data = _data(record)
    removed = [f for f in fields if data.pop(f, None) is not None]
    if not removed:
        return False
    purged = record.setdefault("purged", [])
    if label not in purged:
        purged.append(label)
    return True


def purge(records: list[Record], now: datetime) -> tuple[list[Record], Purged]:
    """The records as they must be kept at ``now`` (copies: the input is not changed)."""
    alerts = _alert_times(records)
    attributions, devices = _ends(records)
    kept: list[Record] = []
    positions = dossiers = 0
    for original in records:
        record = _copy(original)
        since = _position_since(record, alerts)
        if since is not None and now >= since + POSITION_RETENTION and _strip(record, POSITION_FIELDS, "position"):
            positions += 1
        fields = DOSSIER_FIELDS.get(_name(record), ())
        if fields and _dossier_ended(record, attributions, devices) and _strip(record, fields, "dossier"):
            dossiers += 1
        kept.append(record)
    return kept, Purged(positions=positions, dossiers=dossiers)


def _copy(record: Record) -> Record:
    event = dict(record.get("event") or {})
    if isinstance(event.get("data"), dict):
        event["data"] = dict(event["data"])
    copied = dict(record)
    copied["event"] = event
    if "purged" in copied:
        copied["purged"] = list(copied["purged"])
    return copied
