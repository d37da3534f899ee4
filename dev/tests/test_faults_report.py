"""The fault suite's arithmetic: what counts as lost, as a duplicate effect, and the
time to recover (pure functions, no processes)."""

from __future__ import annotations

import json

from tgd_dev.faults.report import Delivery, FaultWindow, Press, read_deliveries, scenario_row, totals

PARTNERS = ["police", "association"]


def press(n: int, at: float = 100.0, alerts: tuple[str, ...] | None = None) -> Press:
    p = Press(press_id=f"p{n}", device_id=f"d{n}", first_attempt_at=at)
    p.alert_ids = set(alerts if alerts is not None else (f"a{n}",))
    return p


def delivered(partner: str, alert: str, at: float, event_id: str | None = None, attempt: int = 1) -> Delivery:
    return Delivery(partner, event_id or f"{partner}-{alert}-{attempt}", alert, "dispatch", attempt, at)


def test_an_alert_missing_at_one_partner_is_lost():
    presses = [press(1), press(2)]
    deliveries = [delivered("police", "a1", 101), delivered("association", "a1", 101), delivered("police", "a2", 101)]
    row = scenario_row("s", presses, deliveries, PARTNERS, 0, FaultWindow())
    assert row["lost"] == 1
    assert row["delivered"] == {"police": 2, "association": 1}


def test_a_press_never_accepted_is_lost():
    row = scenario_row("s", [press(1, alerts=())], [], PARTNERS, 0, FaultWindow())
    assert row["triggered"] == 1
    assert row["lost"] == 1


def test_acting_twice_on_one_dispatch_and_two_alerts_for_one_press_are_duplicate_effects():
    presses = [press(1), press(2, alerts=("a2", "a2bis"))]
    deliveries = [
        delivered("police", "a1", 101, "e1"),
        delivered("police", "a1", 102, "e1-again"),  # same dispatch acted on twice
        delivered("association", "a1", 101),
        delivered("police", "a2", 101),
        delivered("association", "a2", 101),
    ]
    row = scenario_row("s", presses, deliveries, PARTNERS, 0, FaultWindow())
    assert row["duplicate_effects"] == 2
    assert row["lost"] == 0


def test_a_repeat_of_a_dispatch_is_not_a_duplicate_effect():
    deliveries = [
        delivered("police", "a1", 101, attempt=1),
        delivered("police", "a1", 131, attempt=2),  # the platform's repeat: a new attempt
        delivered("association", "a1", 101),
    ]
    assert scenario_row("s", [press(1)], deliveries, PARTNERS, 0, FaultWindow())["duplicate_effects"] == 0


def test_recovery_runs_from_the_fault_to_the_last_alert_pressed_before_the_repair_reaching_everyone():
    presses = [press(1, at=100), press(2, at=104), press(3, at=200)]
    deliveries = [
        delivered("police", "a1", 101),
        delivered("association", "a1", 101),
        delivered("police", "a2", 112),
        delivered("association", "a2", 109),
        delivered("police", "a3", 201),  # pressed after the repair: not part of the recovery
        delivered("association", "a3", 250),
    ]
    row = scenario_row("s", presses, deliveries, PARTNERS, 0, FaultWindow(injected_at=103, restored_at=106))
    assert row["recovery_s"] == 9.0


def test_no_recovery_time_when_an_alert_never_arrived_or_nothing_was_injected():
    presses = [press(1, at=100)]
    assert scenario_row("s", presses, [], PARTNERS, 0, FaultWindow(103, 106))["recovery_s"] is None
    assert scenario_row("s", presses, [], PARTNERS, 0, FaultWindow())["recovery_s"] is None


def test_totals_add_rows_up():
    rows = [
        {"scenario": "a", "triggered": 3, "delivered": {"police": 3}, "lost": 0, "duplicate_effects": 0,
         "dead_lettered": 1, "recovery_s": 4.0},
        {"scenario": "b", "triggered": 2, "delivered": {"police": 1}, "lost": 1, "duplicate_effects": 1,
         "dead_lettered": 0, "recovery_s": None},
    ]  # fmt: skip
    total = totals(rows)
    assert total["triggered"] == 5
    assert total["delivered"] == {"police": 4}
    assert total["lost"] == 1
    assert total["duplicate_effects"] == 1
    assert total["recovery_s"] == 4.0


def test_consumer_files_are_read_dispatches_only_and_torn_lines_skipped(tmp_path):
    path = tmp_path / "police.jsonl"
    dispatch = {"type": "fr.tgd.partner_dispatch", "id": "e1", "subject": "a1",
                "data": {"alert_id": "a1", "kind": "dispatch", "attempt": 1}}  # fmt: skip
    closure = {"type": "fr.tgd.partner_closure", "id": "e2", "subject": "a1", "data": {"alert_id": "a1"}}
    lines = [json.dumps({"received_at": 1.5, "event": dispatch}), json.dumps({"received_at": 2, "event": closure})]
    path.write_text("\n".join(lines) + '\n{"received_at": 3, "ev')
    assert read_deliveries("police", path) == [Delivery("police", "e1", "a1", "dispatch", 1, 1.5)]
