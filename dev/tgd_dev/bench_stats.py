"""Pure arithmetic of ``tgd-dev bench alert-path``: the schedule, percentiles, latencies
counted from the scheduled instant (no coordinated omission), throughput windows and
the median/spread over repeats. No I/O, no clock: every time is passed in (seconds of
the wall clock of the one machine the bench runs on)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tgd_cli.slo import percentile  # one definition: ``tgd slo`` judges with it too


def schedule(start: float, count: int, rate: float, phase: float = 0.0) -> list[float]:
    """The instants an open-loop generator must start each of ``count`` operations at:
    ``start + (i + phase) / rate``. ``phase`` (0..1) shifts a second stream (the raw hop)
    between the alerts so the two interleave."""
    if rate <= 0:
        raise ValueError("rate must be positive")
    return [start + (index + phase) / rate for index in range(count)]


@dataclass(frozen=True)
class Latencies:
    """Latencies (ms) of the operations that completed, and what did not."""

    values_ms: list[float]
    lost: int  # scheduled, never completed (or refused)
    duplicated: int  # extra copies a consumer held


def from_schedule(scheduled: Mapping[str, float], held: Iterable[Mapping[str, list[float]]]) -> Latencies:
    """Latency of each key = the LAST consumer's FIRST copy minus the key's scheduled
    instant (not the instant the generator managed to send it: a late generator must
    not hide the wait, which is coordinated omission). Every consumer must hold it."""
    consumers = list(held)
    values, lost, duplicated = [], 0, 0
    for key, at in scheduled.items():
        copies = [c.get(key, []) for c in consumers]
        duplicated += sum(max(0, len(c) - 1) for c in copies)
        if not consumers or any(not c for c in copies):
            lost += 1
            continue
        values.append((max(min(c) for c in copies) - at) * 1000)
    return Latencies(values, lost, duplicated)


def between(starts: Mapping[str, float], ends: Mapping[str, float]) -> list[float]:
    """``ends[k] - starts[k]`` in ms for the keys present in both."""
    return [(ends[k] - starts[k]) * 1000 for k in starts if k in ends]


def lag(scheduled: Mapping[str, float], sent: Mapping[str, float]) -> list[float]:
    """How late (ms) the generator actually sent each operation: coordinated omission
    the schedule corrects for. A large lag says the generator itself is saturated."""
    return [max(0.0, (sent[k] - scheduled[k]) * 1000) for k in scheduled if k in sent]


def windows(done_at: Iterable[float], start: float, width: float, count: int) -> list[int]:
    """How many completions fall in each of ``count`` windows of ``width`` seconds
    from ``start`` (later ones in the last window's overflow are not counted)."""
    counts = [0] * count
    for at in done_at:
        index = math.floor((at - start) / width)
        if 0 <= index < count:
            counts[index] += 1
    return counts


def describe(values: list[float]) -> dict[str, float | None]:
    return {
        "p50": _round(percentile(values, 50)),
        "p99": _round(percentile(values, 99)),
        "max": _round(max(values) if values else None),
        "n": len(values),
    }


def spread(runs: list[float | None]) -> dict[str, float | None]:
    """Median, min and max of one figure over the repeats (None runs ignored)."""
    known = [r for r in runs if r is not None]
    if not known:
        return {"median": None, "min": None, "max": None}
    return {"median": _round(statistics.median(known)), "min": _round(min(known)), "max": _round(max(known))}


def cpu_per_alert(ticks_delta: Mapping[str, float], alerts: int) -> dict[str, float | None]:
    """CPU ms per alert of each process from its CPU seconds over the round."""
    return {name: (_round(seconds * 1000 / alerts) if alerts else None) for name, seconds in ticks_delta.items()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
