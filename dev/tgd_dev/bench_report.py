"""The figures of one round of ``tgd-dev bench alert-path`` and their median/spread over
the repeats, as a dict (``--json``) and as text. Pure: everything is passed in."""

from __future__ import annotations

from collections.abc import Mapping

from tgd_dev import bench_stats as st

LOAD_SIDE = ("bench (load generator)", "consumer-")  # the partners' and the generator's CPU, not the system's


def round_figures(
    *,
    scheduled: Mapping[str, float],
    sent: Mapping[str, float],
    accepted: Mapping[str, float],
    decision_sent: Mapping[str, float],
    first_seen: Mapping[str, float],
    absent_at: Mapping[str, float],
    held: list[Mapping[str, list[float]]],
    raw_scheduled: Mapping[str, float],
    raw_held: Mapping[str, list[float]],
    refused: int,
    cpu_s: Mapping[str, float],
    window_s: float,
    windows: int,
) -> dict:
    whole = st.from_schedule(scheduled, held)
    decision = st.from_schedule(decision_sent, held)
    raw = st.from_schedule(raw_scheduled, [raw_held])
    listed = st.between(scheduled, first_seen)
    raw_p50 = st.percentile(raw.values_ms, 50)
    last_held = {k: max(min(h[k]) for h in held) for k in scheduled if held and all(h.get(k) for h in held)}
    start = min(scheduled.values(), default=0.0)
    alerts = len(scheduled) + refused
    system = {k: v for k, v in cpu_s.items() if not k.startswith(LOAD_SIDE)}
    alert_cpu = sum(v for k, v in cpu_s.items() if k.startswith("alert-"))
    span = (max(last_held.values()) - start) if last_held else None
    return {
        "alerts": alerts,
        "whole_path_ms": st.describe(whole.values_ms),
        "list_ms": st.describe(listed),
        "list_resolution_ms": st.describe(st.between(absent_at, first_seen)),
        "not_on_list": len([k for k in scheduled if k not in first_seen]),
        "decision_ms": st.describe(decision.values_ms),
        "raw_hop_ms": st.describe(raw.values_ms),
        "ratio_list_p50": _ratio(st.percentile(listed, 50), raw_p50),
        "ratio_decision_p50": _ratio(st.percentile(decision.values_ms, 50), raw_p50),
        "trigger_request_ms": st.describe(st.between(sent, accepted)),
        "generator_lag_ms": st.describe(st.lag(scheduled, sent)),
        "lost": whole.lost + refused,
        "duplicated": whole.duplicated,
        "raw_lost": raw.lost,
        "throughput_per_s": round(len(last_held) / span, 1) if span else None,
        "windows_per_s": [round(c / window_s, 1) for c in st.windows(last_held.values(), start, window_s, windows)],
        "cpu_ms_per_alert": st.cpu_per_alert(cpu_s, alerts),
        "system_cpu_ms_per_alert": round(sum(system.values()) * 1000 / alerts, 2) if alerts else None,
        "alert_tier_cpu_ms_per_alert": round(alert_cpu * 1000 / alerts, 2) if alerts else None,
        # the scale-out figure: alerts per second of alert-tier CPU (flat from N = 1 to 4 is the goal)
        "alerts_per_alert_cpu_s": round(alerts / alert_cpu, 1) if alert_cpu else None,
    }


def _ratio(value: float | None, base: float | None) -> float | None:
    return round(value / base, 2) if value is not None and base else None


HEADLINE = (
    ("whole path p50 ms", ("whole_path_ms", "p50")),
    ("whole path p99 ms", ("whole_path_ms", "p99")),
    ("press -> on the list p50 ms", ("list_ms", "p50")),
    ("press -> on the list p99 ms", ("list_ms", "p99")),
    ("decision -> all partners p50 ms", ("decision_ms", "p50")),
    ("decision -> all partners p99 ms", ("decision_ms", "p99")),
    ("raw hop p50 ms", ("raw_hop_ms", "p50")),
    ("raw hop p99 ms", ("raw_hop_ms", "p99")),
    ("list p50 / raw hop p50", ("ratio_list_p50",)),
    ("decision p50 / raw hop p50", ("ratio_decision_p50",)),
    ("throughput alerts/s", ("throughput_per_s",)),
    ("alert tier CPU ms/alert", ("alert_tier_cpu_ms_per_alert",)),
    ("alerts per alert-tier CPU second", ("alerts_per_alert_cpu_s",)),
    ("system CPU ms/alert", ("system_cpu_ms_per_alert",)),
    ("generator lag p99 ms", ("generator_lag_ms", "p99")),
)


def _get(figures: Mapping, path: tuple[str, ...]) -> float | None:
    value: object = figures
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, int | float) else None


def aggregate(rounds: list[dict]) -> dict:
    """Median and spread over the rounds of each headline figure and each process's CPU."""
    summary = {label: st.spread([_get(r, path) for r in rounds]) for label, path in HEADLINE}
    names = sorted({name for r in rounds for name in r["cpu_ms_per_alert"]})
    cpu = {name: st.spread([r["cpu_ms_per_alert"].get(name) for r in rounds]) for name in names}
    return {
        "headline": summary,
        "cpu_ms_per_alert": cpu,
        "lost": sum(r["lost"] for r in rounds),
        "duplicated": sum(r["duplicated"] for r in rounds),
        "not_on_list": sum(r["not_on_list"] for r in rounds),
    }


def text(config: Mapping, result: Mapping) -> str:
    lines = [
        "tgd-dev bench alert-path: " + ", ".join(f"{k}={v}" for k, v in config.items()),
        f"loadavg before {result['loadavg_before']} | after {result['loadavg_after']}",
        f"{'figure':34} {'median':>9} {'min':>9} {'max':>9}",
    ]
    for label, value in result["summary"]["headline"].items():
        lines.append(f"{label:34} {_fmt(value['median'])} {_fmt(value['min'])} {_fmt(value['max'])}")
    lines.append("CPU ms per alert, per process (median, min-max over the rounds):")
    for name, value in result["summary"]["cpu_ms_per_alert"].items():
        lines.append(f"  {name:32} {_fmt(value['median'])} ({_fmt(value['min']).strip()}-{_fmt(value['max']).strip()})")
    lines.append("  (broker: the machine's shared RabbitMQ, other users' work included; consumers and the")
    lines.append("   generator are the load side, not the system)")
    for index, r in enumerate(result["rounds"], 1):
        lines.append(f"round {index}: windows/s {r['windows_per_s']} lost {r['lost']} duplicated {r['duplicated']}")
    lines.append(f"final drain {result.get('drain_s')} s (late is not lost: lost = never delivered)")
    summary = result["summary"]
    lines.append(
        f"lost {summary['lost']}, duplicated {summary['duplicated']}, never seen on the list {summary['not_on_list']}"
    )
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return f"{'-':>9}" if value is None else f"{value:9.2f}"
