"""What the alert service answers without changing anything: an alert's view, its part
of an evidence archive, the open-alerts list, a device's readiness, the script, the
statistics and a court's history (views in :mod:`alert.read.views`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from alert.domain import Alert
from alert.exceptions import AlertNotFound, InvalidRequest, check_id, parse
from alert.read.evidence import alert_evidence
from alert.read.statistics import alert_figures
from alert.read.views import alert_history, alert_view, device_routing
from tgd_contracts.alert_views import OpenAlerts
from tgd_contracts.evidence import RelatedAlerts
from tgd_contracts.retention import AlertTerritory
from tgd_contracts.statistics import AlertFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised


class AlertQueries:
    def __init__(self, repo: Any, settings: Any, now: Callable[[], datetime]):
        self.repo = repo
        self.settings = settings
        self.now = now

    def _alert(self, alert_id: Any) -> Alert:
        found = self.repo.get(check_id(alert_id))
        if found is None:
            raise AlertNotFound()
        return found[0]

    def alert(self, alert_id: Any) -> dict[str, Any]:
        return alert_view(self._alert(alert_id)).to_wire()

    def territory(self, alert_id: Any) -> dict[str, Any]:
        """The alert's jurisdiction, for the gateway's access check (no identity)."""
        alert = self._alert(alert_id)
        return AlertTerritory(alert_id=alert.alert_id, jurisdiction=alert.device.jurisdiction).to_wire()

    def evidence(self, alert_id: Any) -> dict[str, Any]:
        """The alert's part of an evidence archive (:mod:`alert.read.evidence`)."""
        found = self.repo.evidence_of(check_id(alert_id))
        if found is None:
            raise AlertNotFound()
        return alert_evidence(*found, now=self.now()).to_wire()

    def alerts_of_device(self, device_id: Any, attribution_id: Any = None) -> dict[str, Any]:
        device_id = check_id(device_id)
        attribution = check_id(attribution_id) if attribution_id is not None else None
        ids = self.repo.alert_ids_of_device(device_id, attribution)
        return RelatedAlerts(device_id=device_id, alert_ids=ids).to_wire()

    def open_alerts(self) -> dict[str, Any]:
        """The operator's live list, from the plain summaries (nothing decrypted)."""
        return OpenAlerts.model_validate({"items": self.repo.open_summaries()}).to_wire()

    def device_routing(self, device_id: Any) -> dict[str, Any]:
        return device_routing(self.repo.device(check_id(device_id))).to_wire()

    def script(self) -> dict[str, Any]:
        questions = self.settings.script.questions
        return {"questions": [{"id": q.id, "text": q.text, "answers": list(q.answers)} for q in questions]}

    def statistics(self, query: Any) -> dict[str, Any]:
        """Observatory aggregates: anonymised counts and delays only."""
        return anonymised.alerts(AlertFigures.consume(self.exact_statistics(query))).to_wire()

    def exact_statistics(self, query: Any) -> dict[str, Any]:
        """Exact figures of a court and period (its parquet, the steering committee)."""
        parsed = parse(StatisticsQuery, query)
        start, end = parsed.window()
        return alert_figures(parsed, self.repo.raised_between(start, end)).to_wire()

    def history(self, jurisdiction: Any, days: Any, limit: Any) -> dict[str, Any]:
        """Les alertes d'un ressort over the last ``days`` days, with their outcome."""
        if not isinstance(days, int) or not 1 <= days <= 366 or not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise InvalidRequest("days is 1 to 366, limit 1 to 1000.")
        end = self.now()
        alerts = self.repo.raised_between(end - timedelta(days=days), end + timedelta(seconds=1))
        return alert_history(str(jurisdiction), alerts, limit).to_wire()
