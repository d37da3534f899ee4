"""The alert service's Prometheus metrics (served by ``tgd-service`` on
``TGD_METRICS_PORT``, see :mod:`tgd_servicekit.metrics`): the steps each change
reached (``tgd_alert_step_seconds``) and the alerts by state (``tgd_alerts``)."""

from __future__ import annotations

from typing import Any

from alert.models import AlertDocument
from tgd_contracts.alert_steps import step_instants
from tgd_servicekit.metrics import GAUGES, observe_new_steps


def steps_of(alert: Any) -> dict:
    return step_instants(alert)


def observe_change(before: dict, alert: Any) -> None:
    """After a stored change: observe the steps it reached for the first time."""
    observe_new_steps(before, step_instants(alert))


def alerts_by_state() -> dict[str, float]:
    rows = AlertDocument.objects.aggregate([{"$group": {"_id": "$state", "n": {"$sum": 1}}}])
    return {str(row["_id"]): float(row["n"]) for row in rows}


GAUGES.add("tgd_alerts", "Alert records by state", "state", alerts_by_state)
