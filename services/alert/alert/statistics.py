"""The alert service's observatory aggregates, pure: alerts raised in the period by
nature (the operator's qualification) and outcome (the forces' report), and the delay
of each step of the chain.

- trigger -> taken: from when the platform recorded the alert to when an operator took it;
- taken -> dispatched: to the first message to the forces (a failsafe dispatch before
  anyone took the alert is not an operator's delay and is counted apart);
- dispatched -> acknowledged: from the first message to the forces to the first
  acknowledgement by a force.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from alert.domain import Alert
from alert.routing import ASSOCIATION
from tgd_contracts.alert import InterventionResult, QualificationOutcome
from tgd_contracts.statistics import AlertStatistics, StatisticsQuery, breakdown, count, delay, seconds_between

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


def alert_statistics(query: StatisticsQuery, alerts: Iterable[Alert]) -> AlertStatistics:
    chosen = [a for a in alerts if a.device.jurisdiction == query.jurisdiction and query.covers(a.raised_at)]
    natures = Counter(a.outcome.value if a.outcome else NOT_QUALIFIED for a in chosen)
    outcomes = Counter(a.result.value if a.result else NO_OUTCOME for a in chosen)
    delays = [step_delays(a) for a in chosen]
    return AlertStatistics(
        jurisdiction=query.jurisdiction,
        starts_on=query.starts_on,
        ends_on=query.ends_on,
        alerts=count(len(chosen)),
        by_nature=breakdown(natures, NATURES),
        by_outcome=breakdown(outcomes, OUTCOMES),
        automatic_dispatches=count(sum(1 for a in chosen if a.automatic)),
        trigger_to_taken=delay(d[0] for d in delays if d[0] is not None),
        taken_to_dispatched=delay(d[1] for d in delays if d[1] is not None),
        dispatched_to_acknowledged=delay(d[2] for d in delays if d[2] is not None),
    )
