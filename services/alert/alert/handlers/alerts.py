"""The alert path's entrypoints: a press of the alert key, her later positions, the
timers of the deadlines (failsafe, escalation) and of the retention, and the alarm of
a dead letter on the alert path."""

from __future__ import annotations

import logging
from typing import Any

from alert.exceptions import EXPECTED, parse
from alert.handlers import Handlers
from tgd_contracts.alert import AlertTrigger, PositionUpdate
from tgd_servicekit.alarms import DeadLetterAlarm, dead_letter_alarm
from tgd_servicekit.consumers import rpc
from tgd_servicekit.timers import every

log = logging.getLogger(__name__)


class AlertEntrypoints(Handlers):
    # -- the device platform ------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def trigger_alert(self, trigger: dict[str, Any]) -> dict[str, Any]:
        """A press of the alert key (déclenchement); returns once the alert is stored."""
        return self.ops.trigger(parse(AlertTrigger, trigger)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def update_position(self, update: dict[str, Any]) -> dict[str, Any]:
        return {"alert_id": self.ops.add_position(parse(PositionUpdate, update))}

    # -- timers (the outbox relay's: tgd_servicekit.timers.OutboxRelay) ----------------
    @every("ALERT_TICK_S", 0.5)
    def check_deadlines(self) -> None:
        """Failsafe dispatch, repeats and escalation whose deadline has passed."""
        self.ops.check_deadlines()

    @every("ALERT_PURGE_INTERVAL_S", 3600)
    def run_retention(self) -> None:
        """Positions 72 h after the alert (192 h when authorised), dossier copies 72 h after,
        returned devices' facts 72 h after the return, records after their legal basis."""
        self.ops.run_retention()

    # -- operations ---------------------------------------------------------------------
    @dead_letter_alarm
    def on_dead_letter(self, alarm: DeadLetterAlarm) -> None:
        """A message of the alert path went to the dead letters: an alert may be
        waiting on it. Where and why only (never the content); ``tgd deadletters``
        lists and replays it."""
        log.critical(
            "ALARM dead letter on the alert path: queue=%s reason=%s type=%s id=%s "
            "(list: tgd deadletters list; replay: tgd deadletters replay)",
            alarm.queue,
            alarm.reason,
            alarm.event_type,
            alarm.message_id,
        )
