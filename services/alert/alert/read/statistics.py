"""The alert service's statistics, pure (exact for the parquet and the steering
committee, anonymised for the observatory): alerts raised in the period (Paris days) by
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
from alert.domain.routing import ASSOCIATION
from tgd_contracts.alert import InterventionResult, QualificationOutcome
from tgd_contracts.statistics import AlertFigures, AlertStatistics, StatisticsQuery, exact_delay, seconds_between, tally
from tgd_contracts.statistics import anonymise as anonymised

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
