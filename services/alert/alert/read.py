"""What the alert service shows, pure where it can be (no database but the metrics' gauge):

- the alert as the operator screen and the gateway see it, a device's readiness and a
  court's history (contract models);
- the statistics (exact for the parquet and the steering committee, anonymised for the
  observatory): alerts raised in the period (Paris days) by nature (the operator's
  qualification) and outcome (the forces' report), and the delay of each step of the
  chain: trigger -> taken (from when the platform recorded the alert to when an operator
  took it); taken -> dispatched (to the first message to the forces; a failsafe
  dispatch before anyone took the alert is not an operator's delay and is counted
  apart); dispatched -> acknowledged (to the first acknowledgement by a force);
- the alert's part of an evidence archive (seed 002 §E.II.c): the whole record and the
  messages it emitted that are still retained, with the alert's trace id;
- the Prometheus metrics (served by ``tgd-service`` on ``TGD_METRICS_PORT``, see
  :mod:`tgd_servicekit.metrics`): the steps each change reached
  (``tgd_alert_step_seconds``) and the alerts by state (``tgd_alerts``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from alert.domain import Alert, DeviceFacts, dossier_of
from alert.domain.routing import ASSOCIATION
from alert.models import AlertDocument
from tgd_contracts.alert import InterventionResult, QualificationOutcome
from tgd_contracts.alert_steps import step_instants
from tgd_contracts.alert_views import (
    AlertHistory,
    AlertHistoryItem,
    AlertView,
    DeliveryView,
    DeviceRouting,
)
from tgd_contracts.evidence import EvidencePart, SubjectKind, service_part
from tgd_contracts.statistics import AlertFigures, AlertStatistics, StatisticsQuery, exact_delay, seconds_between, tally
from tgd_contracts.statistics import anonymise as anonymised
from tgd_servicekit.metrics import GAUGES, observe_new_steps
from tgd_servicekit.projection import project


def alert_view(alert: Alert) -> AlertView:
    return project(
        AlertView,
        alert,
        device_id=alert.device.device_id,
        attribution_id=alert.device.attribution_id,
        jurisdiction=alert.device.jurisdiction,
        presses=[p.at for p in alert.presses],
        deliveries=[project(DeliveryView, d) for d in alert.deliveries],
        dossier=dossier_of(alert),
        position_status=alert.located.position_status if alert.located else None,
    )


def device_routing(facts: DeviceFacts) -> DeviceRouting:
    return DeviceRouting(
        **facts.model_dump(exclude={"dossier", "activated_at", "returned_at", "home_since", "replaced_at"}),
        has_dossier=facts.dossier is not None,
    )


def alert_history(jurisdiction: str, alerts: list[Alert], limit: int) -> AlertHistory:
    """A court's alerts, the newest first, with their outcome (no identity, no position)."""
    mine = sorted((a for a in alerts if a.device.jurisdiction == jurisdiction), key=lambda a: a.raised_at, reverse=True)
    return AlertHistory(
        jurisdiction=jurisdiction,
        items=[project(AlertHistoryItem, a, presses=len(a.presses)) for a in mine[:limit]],
    )


NOT_QUALIFIED = "not_qualified"
NO_OUTCOME = "none"
NATURES = [*(o.value for o in QualificationOutcome), NOT_QUALIFIED]
OUTCOMES = [*(r.value for r in InterventionResult), NO_OUTCOME]


def step_delays(alert: Alert) -> tuple[float | None, float | None, float | None]:
    """(trigger -> taken, taken -> dispatched, dispatched -> acknowledged) in seconds, None when not reached."""
    to_forces = [d for d in alert.deliveries if d.step != ASSOCIATION]
    dispatched_at = min((d.first_sent_at for d in to_forces), default=None)
    acknowledged_at = min((d.acknowledged_at for d in to_forces if d.acknowledged_at), default=None)
    taken = seconds_between(alert.raised_at, alert.taken_at)
    by_operator = alert.taken_at is not None and dispatched_at is not None and not alert.automatic
    return (
        taken,
        seconds_between(alert.taken_at, dispatched_at) if by_operator else None,
        seconds_between(dispatched_at, acknowledged_at),
    )


def alert_figures(query: StatisticsQuery, alerts: Iterable[Alert]) -> AlertFigures:
    chosen = [a for a in alerts if a.device.jurisdiction == query.jurisdiction and query.covers(a.raised_at)]
    natures = Counter(a.outcome.value if a.outcome else NOT_QUALIFIED for a in chosen)
    outcomes = Counter(a.result.value if a.result else NO_OUTCOME for a in chosen)
    delays = [step_delays(a) for a in chosen]
    return AlertFigures(
        jurisdiction=query.jurisdiction,
        starts_on=query.starts_on,
        ends_on=query.ends_on,
        alerts=len(chosen),
        by_nature=tally(natures, NATURES),
        by_outcome=tally(outcomes, OUTCOMES),
        automatic_dispatches=sum(1 for a in chosen if a.automatic),
        trigger_to_taken=exact_delay(d[0] for d in delays if d[0] is not None),
        taken_to_dispatched=exact_delay(d[1] for d in delays if d[1] is not None),
        dispatched_to_acknowledged=exact_delay(d[2] for d in delays if d[2] is not None),
    )


def alert_statistics(query: StatisticsQuery, alerts: Iterable[Alert]) -> AlertStatistics:
    """The observatory's anonymised counts of the same alerts."""
    return anonymised.alerts(alert_figures(query, alerts))


def alert_evidence(alert: Alert, events: list[dict[str, Any]], now: datetime) -> EvidencePart:
    return service_part(
        "alert",
        SubjectKind.ALERT,
        alert.alert_id,
        alert.device.jurisdiction,
        {"alert": alert.model_dump(mode="json")},
        events,
        now,
        traceparents=(alert.traceparent,),
    )


def steps_of(alert: Any) -> dict:
    return step_instants(alert)


def observe_change(before: dict, alert: Any) -> None:
    """After a stored change: observe the steps it reached for the first time."""
    observe_new_steps(before, step_instants(alert))


def alerts_by_state() -> dict[str, float]:
    rows = AlertDocument.objects.aggregate([{"$group": {"_id": "$state", "n": {"$sum": 1}}}])
    return {str(row["_id"]): float(row["n"]) for row in rows}


GAUGES.add("tgd_alerts", "Alert records by state", "state", alerts_by_state)
