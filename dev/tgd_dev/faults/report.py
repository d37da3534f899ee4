"""What a scenario did, computed from what was observed (pure functions, no I/O).

- triggered: presses the device platform sent (each one a distinct alert);
- delivered: per partner, how many of those alerts reached that partner's consumer
  (its handler acted on a dispatch for the alert);
- lost: triggered alerts that did not reach EVERY partner (a press never accepted
  counts as lost too: the device platform retried it until the end of the run);
- duplicate_effects: a partner acting twice on the same dispatch (same alert, kind,
  attempt), plus a press that created two alerts;
- dead_lettered: messages that went to ``tgd.dead-letters`` during the scenario;
- recovery_s: from the fault's injection until every alert pressed before the
  system was restored had reached every partner (None when nothing was injected).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Press:
    press_id: str
    device_id: str
    first_attempt_at: float
    accepted_at: float | None = None
    alert_ids: set[str] = field(default_factory=set)
    attempts: int = 0
    dispatched: bool = False  # the (automated) operator's dispatch was taken
    last_status: str | None = None  # the last HTTP status the press got, or the error it met


@dataclass(frozen=True)
class Delivery:
    partner: str
    event_id: str
    alert_id: str
    kind: str
    attempt: int
    received_at: float


@dataclass
class FaultWindow:
    injected_at: float | None = None
    restored_at: float | None = None


def read_deliveries(partner: str, path: Path) -> list[Delivery]:
    """Dispatches a reference consumer's handler wrote (one JSON line each)."""
    found: list[Delivery] = []
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
            event = record["event"]
        except (ValueError, KeyError):
            continue
        if event.get("type") != "fr.tgd.partner_dispatch":
            continue
        data = event.get("data") or {}
        found.append(
            Delivery(
                partner=partner,
                event_id=str(event["id"]),
                alert_id=str(data.get("alert_id") or event.get("subject")),
                kind=str(data.get("kind")),
                attempt=int(data.get("attempt") or 1),
                received_at=float(record["received_at"]),
            )
        )
    return found


def duplicate_effects(presses: list[Press], deliveries: list[Delivery]) -> int:
    twice_acted = Counter((d.partner, d.alert_id, d.kind, d.attempt) for d in deliveries)
    return sum(n - 1 for n in twice_acted.values()) + sum(max(0, len(p.alert_ids) - 1) for p in presses)


def scenario_row(
    scenario: str,
    presses: list[Press],
    deliveries: list[Delivery],
    partners: list[str],
    dead_lettered: int,
    window: FaultWindow,
) -> dict:
    first_at: dict[tuple[str, str], float] = {}
    for d in deliveries:
        key = (d.partner, d.alert_id)
        first_at[key] = min(first_at.get(key, d.received_at), d.received_at)
    delivered = {p: 0 for p in partners}
    lost = 0
    for press in presses:
        reached = {p for p in partners if any((p, a) in first_at for a in press.alert_ids)}
        for p in reached:
            delivered[p] += 1
        if reached != set(partners):
            lost += 1
    return {
        "scenario": scenario,
        "triggered": len(presses),
        "delivered": delivered,
        "lost": lost,
        "duplicate_effects": duplicate_effects(presses, deliveries),
        "dead_lettered": dead_lettered,
        "recovery_s": recovery_seconds(presses, first_at, partners, window),
    }


def recovery_seconds(
    presses: list[Press], first_at: dict[tuple[str, str], float], partners: list[str], window: FaultWindow
) -> float | None:
    if window.injected_at is None:
        return None
    restored = window.restored_at or window.injected_at
    caught_up = window.injected_at
    for press in presses:
        if press.first_attempt_at > restored:
            continue
        times = [min((first_at[(p, a)] for a in press.alert_ids if (p, a) in first_at), default=None) for p in partners]
        if any(t is None for t in times):
            return None  # never caught up: that alert is lost
        caught_up = max(caught_up, *[t for t in times if t is not None])
    return round(caught_up - window.injected_at, 2)


def totals(rows: list[dict]) -> dict:
    partners = sorted({p for r in rows for p in r["delivered"]})
    return {
        "scenario": "TOTAL",
        "triggered": sum(r["triggered"] for r in rows),
        "delivered": {p: sum(r["delivered"].get(p, 0) for r in rows) for p in partners},
        "lost": sum(r["lost"] for r in rows),
        "duplicate_effects": sum(r["duplicate_effects"] for r in rows),
        "dead_lettered": sum(r["dead_lettered"] for r in rows),
        "recovery_s": max((r["recovery_s"] for r in rows if r["recovery_s"] is not None), default=None),
    }
