"""The observatory's plots (matplotlib, Agg: no display, no pyplot global state), drawn
from the anonymised statistics only. A suppressed count is drawn as a hatched bar up to
the threshold labelled "<5", never as its value; a delay resting on too few samples is
written "not published"."""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import StrEnum

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from gateway.observatory_stats import ObservatoryStatistics
from tgd_contracts.statistics import SMALL_COUNT_THRESHOLD, Count, Delay

matplotlib.rcParams["svg.hashsalt"] = "tgd-observatory"  # stable ids: the same figures give the same SVG
PUBLISHED, SUPPRESSED = "#3b6ea8", "#b0b0b0"


class PlotName(StrEnum):
    ACTIVITY = "activity"  # the lifecycle's counts
    WITHDRAWALS = "withdrawals"  # retraits by reason
    ALERTS = "alerts"  # alerts by nature and outcome
    DELAYS = "delays"  # p50 / p90 / max of each step of an alert


class PlotFormat(StrEnum):
    SVG = "svg"
    PNG = "png"


MEDIA_TYPES = {PlotFormat.SVG: "image/svg+xml", PlotFormat.PNG: "image/png"}


def _title(stats: ObservatoryStatistics, what: str) -> str:
    return f"{what} — {stats.jurisdiction}, {stats.starts_on.isoformat()} to {stats.ends_on.isoformat()}"


def _bars(ax: Axes, labels: list[str], counts: list[Count]) -> None:
    """Horizontal bars; a suppressed count is a hatched bar up to the threshold, labelled <5."""
    heights = [float(c.value) if c.value is not None else SMALL_COUNT_THRESHOLD - 0.5 for c in counts]
    colors = [SUPPRESSED if c.suppressed else PUBLISHED for c in counts]
    positions = list(range(len(labels)))
    bars = ax.barh(positions, heights, color=colors)
    for bar, c in zip(bars, counts, strict=True):
        if c.suppressed:
            bar.set_hatch("//")
        ax.annotate(c.label(), (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=9)  # fmt: skip
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max([*heights, SMALL_COUNT_THRESHOLD]) * 1.2)
    ax.grid(axis="x", alpha=0.3)


def _label(name: str) -> str:
    return name.replace("_", " ")


def activity(fig: Figure, stats: ObservatoryStatistics) -> None:
    e, d = stats.evaluations, stats.devices
    rows = [
        ("referrals", stats.referrals.referrals),
        ("urgent referrals", stats.referrals.urgent),
        ("evaluations requested", e.evaluations_requested),
        ("evaluations completed", e.evaluations_completed),
        ("decisions", e.decisions),
        ("attributions", e.attributions),
        ("refusals", e.refusals),
        ("renewals", e.renewals),
        ("withdrawals", e.withdrawals),
        ("expiries", e.expiries),
        ("devices provisioned", d.provisioned),
        ("devices returned", d.returned),
        ("alerts", stats.alerts.alerts),
    ]
    ax = fig.add_subplot()
    _bars(ax, [r[0] for r in rows], [r[1] for r in rows])
    ax.set_title(_title(stats, "Activity"), fontsize=11)
    ax.set_xlabel("count (hatched: fewer than 5, not published)")
    ax.text(1.0, -0.12, f"devices now: {d.in_stock.label()} in stock, {d.assigned.label()} assigned, "
            f"{d.overdue_test_calls.label()} with an overdue test call", transform=ax.transAxes, ha="right",
            fontsize=8)  # fmt: skip


def withdrawals(fig: Figure, stats: ObservatoryStatistics) -> None:
    reasons = stats.evaluations.withdrawals_by_reason
    ax = fig.add_subplot()
    _bars(ax, [_label(k) for k in reasons], list(reasons.values()))
    ax.set_title(_title(stats, f"Withdrawals by reason (total {stats.evaluations.withdrawals.label()})"), fontsize=11)
    ax.set_xlabel("count")


def alerts(fig: Figure, stats: ObservatoryStatistics) -> None:
    left, right = fig.subplots(1, 2)
    _bars(left, [_label(k) for k in stats.alerts.by_nature], list(stats.alerts.by_nature.values()))
    left.set_title("by nature (qualification)", fontsize=10)
    _bars(right, [_label(k) for k in stats.alerts.by_outcome], list(stats.alerts.by_outcome.values()))
    right.set_title("by outcome (intervention)", fontsize=10)
    fig.suptitle(_title(stats, f"Alerts (total {stats.alerts.alerts.label()})"), fontsize=11)


def delays(fig: Figure, stats: ObservatoryStatistics) -> None:
    steps: list[tuple[str, Delay]] = [
        ("trigger → taken", stats.alerts.trigger_to_taken),
        ("taken → dispatched", stats.alerts.taken_to_dispatched),
        ("dispatched → acknowledged", stats.alerts.dispatched_to_acknowledged),
    ]
    ax = fig.add_subplot()
    width = 0.25
    for offset, (key, color) in enumerate((("p50_s", "#3b6ea8"), ("p90_s", "#e08a2c"), ("max_s", "#b83b3b"))):
        values = [getattr(d, key) or 0.0 for _, d in steps]
        ax.barh([i + (offset - 1) * width for i in range(len(steps))], values, height=width, color=color,
                label=key.removesuffix("_s"))  # fmt: skip
    for i, (_, d) in enumerate(steps):
        if d.p50_s is None:
            ax.text(0, i, f"  not published ({d.samples.label()} samples)", va="center", fontsize=9)
        else:
            ax.text(d.max_s or 0, i + width, f"  n={d.samples.label()}", va="center", fontsize=8)
    ax.set_yticks(range(len(steps)), [s[0] for s in steps])
    ax.invert_yaxis()
    ax.set_xlabel("seconds")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, frameon=False)
    ax.set_xlim(0, max([d.max_s or 0.0 for _, d in steps] + [0.001]) * 1.15)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(_title(stats, "Alert handling delays"), fontsize=11)


DRAW: dict[PlotName, Callable[[Figure, ObservatoryStatistics], None]] = {
    PlotName.ACTIVITY: activity,
    PlotName.WITHDRAWALS: withdrawals,
    PlotName.ALERTS: alerts,
    PlotName.DELAYS: delays,
}


def figure(name: PlotName, stats: ObservatoryStatistics, lang: str = "en") -> Figure:
    fig = Figure(figsize=(11, 5.5) if name == PlotName.ALERTS else (9, 5.5), layout="constrained")
    DRAW[name](fig, stats)
    if lang == "fr":
        from gateway.plots_fr import in_french

        in_french(fig)
    return fig


def render(name: PlotName, stats: ObservatoryStatistics, fmt: PlotFormat, lang: str = "en") -> bytes:
    fig = figure(name, stats, lang)
    out = io.BytesIO()
    metadata = {"Date": None} if fmt == PlotFormat.SVG else {}
    fig.savefig(out, format=fmt.value, dpi=110, metadata=metadata)
    return out.getvalue()
