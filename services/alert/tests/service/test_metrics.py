"""The alert service's metrics: each step observed once when reached, alerts by state."""

from datetime import timedelta

from alert.read import alerts_by_state
from tgd_servicekit.metrics import ALERT_STEP_SECONDS

from .test_service import provision, service, trigger  # noqa: F401 (the fixture)


def count(step: str) -> float:
    return next(
        s.value
        for metric in ALERT_STEP_SECONDS.collect()
        for s in metric.samples
        if s.name.endswith("_count") and s.labels.get("step") == step
    )


def sample_count(step: str) -> float:
    try:
        return count(step)
    except StopIteration:
        return 0.0


def test_steps_are_observed_once_each_and_alerts_are_counted_by_state(service):  # noqa: F811
    provision(service)
    before = {step: sample_count(step) for step in ("on_list", "taken", "qualified", "dispatched")}
    service.now.now += timedelta(seconds=1)
    alert_id = trigger(service)["alert_id"]
    service.take_alert(alert_id, {"operator": "op-1"})
    service.take_alert(alert_id, {"operator": "op-1"})  # taken again: not a new step
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    after = {step: sample_count(step) for step in before}
    assert {step: after[step] - before[step] for step in before} == {
        "on_list": 1,
        "taken": 1,
        "qualified": 1,
        "dispatched": 1,
    }
    assert alerts_by_state() == {"dispatched": 1.0}
