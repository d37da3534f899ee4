"""What the alert service answers without changing anything: an alert's view, its part
of an evidence archive, the open-alerts list, a device's readiness, the script, the
statistics and a court's history (views in :mod:`alert.read`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from alert.domain import Alert
from alert.exceptions import EXPECTED, RETENTION_EXPECTED, AlertNotFound, InvalidRequest, check_id
from alert.handlers import Handlers
from alert.read import alert_evidence, alert_figures, alert_history, alert_view, device_routing
from tgd_contracts.alert_views import OpenAlerts
from tgd_contracts.evidence import RelatedAlerts
from tgd_contracts.retention import AlertTerritory
from tgd_contracts.statistics import AlertFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import found
from tgd_servicekit.statistics import StatisticsEntrypoints


class ReadEntrypoints(Handlers, StatisticsEntrypoints):
    anonymise = staticmethod(anonymised.alerts)

    def _alert(self, alert_id: Any) -> Alert:
        return found(self.alerts.get(check_id(alert_id)), AlertNotFound)[0]

    @rpc(expected_exceptions=EXPECTED)
    def get_alert(self, alert_id: str) -> dict[str, Any]:
        return alert_view(self._alert(alert_id)).to_wire()

    @rpc(expected_exceptions=RETENTION_EXPECTED)
    def alert_territory(self, alert_id: str) -> dict[str, Any]:
        """The alert's jurisdiction, for the gateway's access check (no identity)."""
        alert = self._alert(alert_id)
        return AlertTerritory(alert_id=alert.alert_id, jurisdiction=alert.device.jurisdiction).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def alert_evidence(self, alert_id: str) -> dict[str, Any]:
        """The alert's part of an evidence archive (:mod:`alert.read`)."""
        alert, events = found(self.alerts.evidence_of(check_id(alert_id)), AlertNotFound)
        return alert_evidence(alert, events, now=self.now()).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def alerts_of_device(self, device_id: str, attribution_id: str | None = None) -> dict[str, Any]:
        """The ids of the alerts raised from a device (during one attribution when named),
        for a measure's evidence and a subject access."""
        device_id = check_id(device_id)
        attribution = check_id(attribution_id) if attribution_id is not None else None
        ids = self.alerts.alert_ids_of_device(device_id, attribution)
        return RelatedAlerts(device_id=device_id, alert_ids=ids).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def list_open_alerts(self) -> dict[str, Any]:
        """The operator's live list, from the plain summaries (nothing decrypted)."""
        return OpenAlerts.model_validate({"items": self.alerts.open_summaries()}).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def device_routing(self, device_id: str) -> dict[str, Any]:
        """Is this device ready for an alert: active, competent unit known, dossier held."""
        return device_routing(self.alerts.device(check_id(device_id))).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def qualification_script(self) -> dict[str, Any]:
        questions = self.settings.script.questions
        return {"questions": [{"id": q.id, "text": q.text, "answers": list(q.answers)} for q in questions]}

    def exact_figures(self, query: StatisticsQuery) -> AlertFigures:
        """The alerts raised in the period: counts and delays (:func:`alert.read.alert_figures`)."""
        start, end = query.window()
        return alert_figures(query, self.alerts.raised_between(start, end))

    @rpc(expected_exceptions=EXPECTED)
    def alerts_of_jurisdiction(self, jurisdiction: str, days: int = 90, limit: int = 500) -> dict[str, Any]:
        """Les alertes d'un ressort over the last ``days`` days, with their outcome (the parquet's screen)."""
        if not isinstance(days, int) or not 1 <= days <= 366 or not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise InvalidRequest("days is 1 to 366, limit 1 to 1000.")
        end = self.now()
        alerts = self.alerts.raised_between(end - timedelta(days=days), end + timedelta(seconds=1))
        return alert_history(str(jurisdiction), alerts, limit).to_wire()
