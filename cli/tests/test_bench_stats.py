"""The statistics of ``tgd bench alert-path`` (pure functions over the consumers' files)."""

import json

from tgd_cli import bench_load


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def record(subject, at, event_type="fr.tgd.partner_dispatch"):
    return {"received_at": at, "routing_key": "x", "event": {"subject": subject, "type": event_type}}


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert bench_load.percentile(values, 50) == 50.0
    assert bench_load.percentile(values, 99) == 99.0
    assert bench_load.percentile([7.0], 99) == 7.0
    assert bench_load.percentile([], 50) is None


def test_latency_is_until_the_last_consumer_and_losses_and_duplicates_are_counted(tmp_path):
    police, association = tmp_path / "p.jsonl", tmp_path / "a.jsonl"
    write(police, [record("a1", 10.010), record("a2", 20.004), record("a2", 20.009), record("a3", 30.1, "other")])
    write(association, [record("a1", 10.030), record("a2", 20.002), record("a3", 30.2)])
    run = bench_load.Run(sent_at={"a1": 10.0, "a2": 20.0, "a3": 30.0})
    stats = bench_load.latencies(run, [police, association], "fr.tgd.partner_dispatch")
    assert [round(v, 3) for v in stats.latencies_ms] == [30.0, 4.0]  # the slower consumer; first copy
    assert stats.lost == 1  # a3 never reached the police as a dispatch
    assert stats.duplicated == 1


def test_summary_has_the_keys_the_issue_asks_for():
    stats = bench_load.Stats([10.0, 20.0], 0, 0)
    raw = bench_load.Stats([2.0, 4.0], 0, 0)
    result = bench_load.summary(stats, raw, 2, 50.0, 0.04, [(5.0, 6.0)])
    for key in ("alerts", "rate", "p50_ms", "p99_ms", "raw_p50_ms", "raw_p99_ms", "ratio_p50", "lost", "duplicated"):
        assert key in result
    assert result["ratio_p50"] == 5.0
