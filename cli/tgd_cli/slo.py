"""The alert path's service-level objectives, as pure computation (``tgd slo`` reads the
records and spans, :mod:`slo_cmd`).

Targets:
- BS 8484 (lone-worker and alarm receiving centres), press -> accepted by an operator
  (taken, or the failsafe's automatic decision): at least 80 % within 10 s and 98.5 %
  within 40 s;
- the software (issue #12): press -> on the operator's list p50 <= 5 x the raw AMQP hop;
  decision -> dispatched p50 <= 3 x the raw hop; the whole path without the operator's
  time (press -> on the list + decision -> dispatched) p99 <= 50 ms (the raw hop is the one measured by
  ``tgd-dev bench alert-path``, ``--raw-hop-ms``);
- dispatched -> acknowledged p99 <= the acknowledgement delay before escalation
  (``ALERT_ACK_DELAY_S``, 60 s): a later acknowledgement means the ladder was climbed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tgd_contracts.alert_steps import step_instants

SEGMENTS = (
    ("press", "on_list"),
    ("on_list", "taken"),
    ("taken", "qualified"),
    ("qualified", "dispatched"),
    ("dispatched", "acknowledged"),
    ("press", "taken"),
    ("press", "dispatched"),
)
MACHINE = ("machine part", "press -> on_list + qualified -> dispatched")  # the operator's time left out


def percentile(values: Iterable[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[min(len(ordered), max(rank, 1)) - 1]


@dataclass(frozen=True)
class Target:
    segment: tuple[str, str]
    kind: str  # "p50", "p99" (seconds at most), or "share" (fraction within ``limit_s``)
    limit_s: float
    at_least: float = 0.0  # for "share"
    source: str = ""

    def describe(self) -> str:
        name = f"{self.segment[0]} ({self.segment[1]})" if self.segment == MACHINE else " -> ".join(self.segment)
        if self.kind == "share":
            return f"{name}: >= {self.at_least:.1%} within {self.limit_s:g} s ({self.source})"
        return f"{name}: {self.kind} <= {_human(self.limit_s)} ({self.source})"


def targets(raw_hop_ms: float, ack_delay_s: float = 60.0) -> list[Target]:
    hop = raw_hop_ms / 1000
    return [
        Target(("press", "taken"), "share", 10.0, 0.80, "BS 8484"),
        Target(("press", "taken"), "share", 40.0, 0.985, "BS 8484"),
        Target(("press", "on_list"), "p50", 5 * hop, source="5 x raw hop"),
        Target(("qualified", "dispatched"), "p50", 3 * hop, source="3 x raw hop"),
        Target(MACHINE, "p99", 0.050, source="whole path without the operator"),
        Target(("dispatched", "acknowledged"), "p99", ack_delay_s, source="before escalation"),
    ]


def segment_delays(records: Iterable[Mapping]) -> dict[tuple[str, str], list[float]]:
    """Seconds of each segment, over the records that reached both ends."""
    found: dict[tuple[str, str], list[float]] = {s: [] for s in (*SEGMENTS, MACHINE)}
    for record in records:
        instants: dict[str, datetime] = step_instants(record)
        for start, end in SEGMENTS:
            if start in instants and end in instants:
                found[(start, end)].append(max(0.0, (instants[end] - instants[start]).total_seconds()))
        if all(step in instants for step in ("press", "on_list", "qualified", "dispatched")):
            machine = (instants["on_list"] - instants["press"]) + (instants["dispatched"] - instants["qualified"])
            found[MACHINE].append(max(0.0, machine.total_seconds()))
    return found


@dataclass(frozen=True)
class Verdict:
    target: Target
    value: float | None  # the percentile (s) or the share
    met: bool | None  # None: no data


def judge(target: Target, values: list[float]) -> Verdict:
    if not values:
        return Verdict(target, None, None)
    if target.kind == "share":
        share = sum(1 for v in values if v <= target.limit_s) / len(values)
        return Verdict(target, share, share >= target.at_least)
    value = percentile(values, 50 if target.kind == "p50" else 99)
    assert value is not None
    return Verdict(target, value, value <= target.limit_s)


def evaluate(records: list[Mapping], raw_hop_ms: float, ack_delay_s: float = 60.0) -> tuple[dict, list[Verdict]]:
    delays = segment_delays(records)
    verdicts = [judge(t, delays[t.segment]) for t in targets(raw_hop_ms, ack_delay_s)]
    return delays, verdicts


def exit_code(verdicts: list[Verdict]) -> int:
    """1 when a target with data is missed, else 0 (no data: not a failure, reported)."""
    return 1 if any(v.met is False for v in verdicts) else 0


def report(delays: Mapping[tuple[str, str], list[float]], verdicts: list[Verdict], alerts: int) -> str:
    lines = [f"{alerts} alert record(s)", f"{'segment':30} {'n':>6} {'p50':>10} {'p99':>10}"]
    for (start, end), values in delays.items():
        p50, p99 = percentile(values, 50), percentile(values, 99)
        name = start if (start, end) == MACHINE else f"{start} -> {end}"
        lines.append(f"{name:30} {len(values):6} {_human(p50):>10} {_human(p99):>10}")
    lines.append("targets:")
    for verdict in verdicts:
        status = {True: "MET   ", False: "MISSED", None: "NO DATA"}[verdict.met]
        shown = (
            "-"
            if verdict.value is None
            else (f"{verdict.value:.1%}" if verdict.target.kind == "share" else _human(verdict.value))
        )
        lines.append(f"  {status} {verdict.target.describe()}: {shown}")
    return "\n".join(lines)


def _human(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
