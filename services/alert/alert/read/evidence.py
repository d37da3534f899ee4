"""The alert service's part of an evidence archive (seed 002 §E.II.c): the whole alert
record (presses, positions still retained, the script's answers, the journal of what
was said and decided, dispatches and their acknowledgements, the outcome) and the
messages it emitted about the alert that are still retained, with the alert's trace id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alert.domain import Alert
from tgd_contracts.evidence import EvidencePart, SubjectKind, service_part


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
