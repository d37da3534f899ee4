"""The alert service's retention entrypoints (arrêté du 22 avril 2015, seed 002 §E.II.c),
mixed into :class:`alert.service.AlertService`: the prosecutor's authorisation to keep
an alert's positions 8 days, the territory read the gateway checks before it, and the
timer that purges what is past its retention (rules in :mod:`alert.retention`)."""

from __future__ import annotations

from typing import Any

from nameko import config
from nameko.timer import timer

from alert import retention
from alert.exceptions import AlertNotFound, InvalidRequest, RetentionOver
from tgd_contracts.retention import AlertTerritory, PositionRetentionAuthorisation
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import short_id, validated

EXPECTED = (InvalidRequest, AlertNotFound, RetentionOver)


class RetentionEntrypoints:
    """Needs the service's ``alerts`` (repository) and ``ops`` (operations)."""

    alerts: Any
    ops: Any

    @rpc(expected_exceptions=EXPECTED)
    def authorise_position_retention(self, alert_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """Autorisation du procureur: the positions are kept 8 days instead of 3. Refused
        (``retention_over``) once the 3 days are over; a second one keeps the first."""
        grant = validated(PositionRetentionAuthorisation, request, InvalidRequest)
        alert = self.ops.mutate(
            short_id(alert_id, AlertNotFound),
            "alert.position_retention",
            lambda a, now: _none(retention.authorise_positions(a, grant, now)),
        )
        return retention.retention_view(alert).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def alert_territory(self, alert_id: str) -> dict[str, Any]:
        """The alert's jurisdiction, for the gateway's access check (no identity)."""
        found = self.alerts.get(short_id(alert_id, AlertNotFound))
        if found is None:
            raise AlertNotFound()
        alert = found[0]
        return AlertTerritory(alert_id=alert.alert_id, jurisdiction=alert.device.jurisdiction).to_wire()

    @timer(interval=float(config.get("ALERT_PURGE_INTERVAL_S", 3600)))
    def run_retention(self) -> None:
        """Positions 72 h after the alert (192 h when authorised), dossier copies 72 h after,
        returned devices' facts 72 h after the return, records after their legal basis."""
        self.ops.run_retention()


def _none(_: Any) -> list[Any]:
    return []
