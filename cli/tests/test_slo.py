"""``tgd slo``'s computation: segments from records, targets, verdicts, exit code."""

from datetime import UTC, datetime, timedelta

from tgd_cli import slo

PRESS = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


def record(taken_s: float, on_list_ms: float = 5.0, dispatch_ms: float = 3.0, ack_s: float = 20.0) -> dict:
    at = lambda seconds: (PRESS + timedelta(seconds=seconds)).isoformat()  # noqa: E731
    qualified = taken_s + 10
    return {
        "presses": [at(0)],
        "raised_at": at(on_list_ms / 1000),
        "journal": [
            {"at": at(on_list_ms / 1000), "kind": "raised"},
            {"at": at(taken_s), "kind": "taken"},
            {"at": at(qualified), "kind": "qualified"},
        ],
        "deliveries": [{"first_sent_at": at(qualified + dispatch_ms / 1000), "acknowledged_at": at(qualified + ack_s)}],
    }


def test_bs_8484_shares_are_judged_on_press_to_taken():
    records = [record(5)] * 80 + [record(20)] * 19 + [record(50)]  # 80 % <= 10 s, 99 % <= 40 s
    _, verdicts = slo.evaluate(records, raw_hop_ms=2.0)
    shares = {v.target.limit_s: v for v in verdicts if v.target.kind == "share"}
    assert shares[10.0].value == 0.8
    assert shares[10.0].met is True
    assert shares[40.0].value == 0.99
    assert shares[40.0].met is True


def test_a_missed_target_gives_a_non_zero_exit_code():
    slow_list = [record(5, on_list_ms=200)] * 10  # 200 ms against 5 x 2 ms
    _, verdicts = slo.evaluate(slow_list, raw_hop_ms=2.0)
    missed = [v for v in verdicts if v.met is False]
    assert [v.target.segment for v in missed] == [("press", "on_list"), slo.MACHINE]
    assert slo.exit_code(verdicts) == 1
    _, fine = slo.evaluate([record(9, on_list_ms=5, dispatch_ms=3)] * 10, raw_hop_ms=2.0)
    assert [v for v in fine if v.met is False] == []  # the operator's 19 s are not the machine's
    assert slo.exit_code(fine) == 0


def test_no_data_is_reported_not_failed():
    delays, verdicts = slo.evaluate([], raw_hop_ms=2.0)
    assert all(v.met is None for v in verdicts)
    assert slo.exit_code(verdicts) == 0
    assert "NO DATA" in slo.report(delays, verdicts, 0)


def test_the_report_shows_every_segment_and_target():
    delays, verdicts = slo.evaluate([record(5)] * 3, raw_hop_ms=2.0)
    text = slo.report(delays, verdicts, 3)
    assert "press -> taken" in text
    assert "dispatched -> acknowledged" in text
    assert "BS 8484" in text
    assert "5.0 ms" in text


def test_the_command_says_when_there_is_nothing_to_judge(tmp_path):
    from typer.testing import CliRunner

    from tgd_cli.main import app

    result = CliRunner().invoke(app, ["slo", "--traces", str(tmp_path)])
    assert result.exit_code == 2
    assert "no alert record found" in result.output
    assert "NO DATA" in result.output
