"""The pure parts of ``tgd-dev bench alert-path``: schedule, percentiles, latencies from the
scheduled instant (coordinated omission), windows, spread, the report. No timing."""

import json

from tgd_dev import bench_load, bench_report
from tgd_dev import bench_stats as st


def test_the_schedule_is_open_loop_and_the_raw_hop_interleaves():
    assert st.schedule(100.0, 4, 2.0) == [100.0, 100.5, 101.0, 101.5]
    assert st.schedule(100.0, 2, 2.0, phase=0.5) == [100.25, 100.75]


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert st.percentile(values, 50) == 50.0
    assert st.percentile(values, 99) == 99.0
    assert st.percentile([7.0], 99) == 7.0
    assert st.percentile([], 50) is None


def test_latency_counts_from_the_scheduled_instant_not_from_the_late_send():
    scheduled = {"a1": 10.0, "a2": 10.05}
    # the generator was stalled: a2 went out 0.2 s late; the wait is the alert's, not hidden
    held = [{"a1": [10.010], "a2": [10.26]}]
    latencies = st.from_schedule(scheduled, held)
    assert [round(v, 3) for v in latencies.values_ms] == [10.0, 210.0]
    assert [round(v, 3) for v in st.lag(scheduled, {"a1": 10.0, "a2": 10.25})] == [0.0, 200.0]


def test_latency_is_until_the_last_consumer_and_losses_and_duplicates_are_counted():
    police = {"a1": [10.010], "a2": [20.004, 20.009]}
    association = {"a1": [10.030], "a2": [20.002], "a3": [30.2]}
    latencies = st.from_schedule({"a1": 10.0, "a2": 20.0, "a3": 30.0}, [police, association])
    assert [round(v, 3) for v in latencies.values_ms] == [30.0, 4.0]  # the slower consumer; first copy
    assert latencies.lost == 1  # a3 never reached the police
    assert latencies.duplicated == 1


def test_throughput_windows_count_completions_per_window():
    assert st.windows([0.5, 9.9, 10.0, 25.0, 31.0], start=0.0, width=10.0, count=3) == [2, 1, 1]


def test_spread_is_median_min_max_ignoring_missing_runs():
    assert st.spread([3.0, None, 1.0, 2.0]) == {"median": 2.0, "min": 1.0, "max": 3.0}
    assert st.spread([None]) == {"median": None, "min": None, "max": None}


def test_consumer_files_are_read_by_event_type(tmp_path):
    path = tmp_path / "p.jsonl"
    rows = [
        {"received_at": 1.0, "event": {"subject": "a1", "type": "fr.tgd.partner_dispatch"}},
        {"received_at": 2.0, "event": {"subject": "a1", "type": "other"}},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + '{"half a line')
    assert bench_load.received(path, "fr.tgd.partner_dispatch") == {"a1": [1.0]}


def figures(**overrides):
    values = {
        "scheduled": {"a1": 100.0, "a2": 100.1},
        "sent": {"a1": 100.0, "a2": 100.1},
        "accepted": {"a1": 100.004, "a2": 100.105},
        "decision_sent": {"a1": 100.005, "a2": 100.106},
        "first_seen": {"a1": 100.2},
        "absent_at": {"a1": 100.0},
        "held": [{"a1": [100.010], "a2": [100.120]}],
        "raw_scheduled": {"r1": 100.05},
        "raw_held": {"r1": [100.052]},
        "refused": 1,
        "cpu_s": {"alert-0": 0.06, "gateway": 0.03, "consumer-x": 0.3, "bench (load generator)": 1.0},
        "window_s": 10.0,
        "windows": 1,
    }
    return bench_report.round_figures(**{**values, **overrides})


def test_round_figures_against_the_raw_hop_and_per_alert_cpu():
    result = figures()
    assert result["alerts"] == 3  # two answered, one refused
    assert result["lost"] == 1  # the refused trigger is lost, not forgotten
    assert result["not_on_list"] == 1
    assert result["raw_hop_ms"]["p50"] == 2.0
    assert result["decision_ms"]["p50"] == 5.0
    assert result["ratio_decision_p50"] == 2.5
    assert result["alert_tier_cpu_ms_per_alert"] == 20.0
    assert result["alerts_per_alert_cpu_s"] == 50.0
    assert result["system_cpu_ms_per_alert"] == 30.0  # consumers and the generator are the load side
    assert result["windows_per_s"] == [0.2]


def test_aggregate_and_text_show_median_and_spread_of_every_round():
    rounds = [figures(), figures(raw_held={"r1": [100.054]})]
    summary = bench_report.aggregate(rounds)
    assert summary["headline"]["raw hop p50 ms"] == {"median": 3.0, "min": 2.0, "max": 4.0}
    assert summary["lost"] == 2
    result = {"loadavg_before": "1 2 3", "loadavg_after": "4 5 6", "summary": summary, "rounds": rounds}
    out = bench_report.text({"rate": 20}, result)
    assert "loadavg before 1 2 3" in out
    assert "raw hop p50 ms" in out
    assert "alert-0" in out
