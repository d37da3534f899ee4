"""The steps of an alert's path read from its record (a dict or an object)."""

from types import SimpleNamespace

from tgd_contracts.alert_steps import step_delays, step_instants


def record(**overrides):
    base = {
        "raised_at": "2026-06-01T22:00:00.050Z",
        "presses": ["2026-06-01T22:00:00Z"],
        "journal": [
            {"at": "2026-06-01T22:00:00.050Z", "kind": "raised"},
            {"at": "2026-06-01T22:00:04Z", "kind": "taken"},
            {"at": "2026-06-01T22:00:30Z", "kind": "qualified"},
        ],
        "deliveries": [
            {"first_sent_at": "2026-06-01T22:00:30.010Z", "acknowledged_at": "2026-06-01T22:00:31Z"},
            {"first_sent_at": "2026-06-01T22:00:30.020Z", "acknowledged_at": "2026-06-01T22:00:45Z"},
        ],
    }
    return {**base, **overrides}


def test_each_step_is_measured_from_the_press():
    assert step_delays(record()) == {
        "on_list": 0.05,
        "taken": 4.0,
        "qualified": 30.0,
        "dispatched": 30.01,
        "acknowledged": 45.0,  # the LAST acknowledgement
    }


def test_a_step_not_reached_is_absent():
    open_alert = record(journal=[{"at": "2026-06-01T22:00:00.050Z", "kind": "raised"}], deliveries=[])
    assert set(step_delays(open_alert)) == {"on_list"}
    unacknowledged = record(deliveries=[{"first_sent_at": "2026-06-01T22:00:30Z", "acknowledged_at": None}])
    assert "acknowledged" not in step_delays(unacknowledged)


def test_the_failsafe_counts_as_taken_and_qualified():
    automatic = record(journal=[{"at": "2026-06-01T22:00:30Z", "kind": "failsafe"}], deliveries=[])
    assert step_delays(automatic)["taken"] == 30.0
    assert step_delays(automatic)["qualified"] == 30.0


def test_a_domain_object_is_read_like_the_record():
    press = SimpleNamespace(press_id="p1", at=step_instants(record())["press"])
    entry = SimpleNamespace(at=press.at, kind="raised")
    alert = SimpleNamespace(presses=[press], journal=[entry], deliveries=[], raised_at=press.at)
    assert step_delays(alert) == {"on_list": 0.0}
