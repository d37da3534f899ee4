"""The alert service's use cases: load an alert, apply a rule of :mod:`alert.domain` /
:mod:`alert.routing`, store the new record with its outgoing messages in one write
(outbox), then publish them with confirms. No nameko here: the service hands in its
injected dependencies, and tests hand in fakes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from alert import domain, escalation, positions, presses, retention, routing
from alert.dependencies import AlertSettings
from alert.domain import Alert
from alert.exceptions import AlertNotFound, NoOpenAlert
from alert.metrics import observe_change, steps_of
from alert.outbox_relay import relay_alert_outbox
from alert.repository import AlertRepository, Outbox
from alert.tracing import alert_span, current_traceparent
from tgd_contracts.alert import AlertRaised, AlertTrigger, PositionUpdate, TriggerResult
from tgd_contracts.base import Contract
from tgd_contracts.dossier import Dossier
from tgd_contracts.envelope import Envelope
from tgd_contracts.events import EventName

log = logging.getLogger(__name__)
MAX_CONFLICT_RETRIES = 8
Rule = Callable[[Alert, datetime], list[routing.Outgoing]]


class Events(Protocol):
    def build(self, event_name: str, subject: str, data: Contract) -> Envelope: ...
    def publish(self, envelope: Envelope) -> None: ...
    def publish_many(self, envelopes: Sequence[Envelope]) -> list[BaseException | None]: ...


class Partners(Protocol):
    def publish(self, envelope: Envelope, routing_key: str) -> None: ...


def dossier_of(alert: Alert) -> Dossier | None:
    raw = alert.device.dossier
    try:
        return Dossier.consume(raw) if raw else None
    except ValueError:
        return None


class AlertOperations:
    def __init__(
        self,
        repo: AlertRepository,
        events: Events,
        partners: Partners,
        settings: AlertSettings,
        now: Callable[[], datetime],
        spawn: Callable[..., Any] | None = None,
        missing_dossier: Callable[[str, str, str], None] | None = None,
    ):
        self.repo = repo
        self.events = events
        self.partners = partners
        self.settings = settings
        self.now = now
        self.spawn = spawn
        #: called (device, attribution, alert) when an alert is raised without a copy of her dossier
        self.missing_dossier = missing_dossier

    # -- trigger ------------------------------------------------------------------
    def trigger(self, trigger: AlertTrigger) -> TriggerResult:
        """Record a press: a new alert, a press joining the open incident, or a retry (a
        press id already recorded on the device's open incident)."""
        for _ in range(MAX_CONFLICT_RETRIES):
            found = self.repo.open_alert_for(trigger.device_id)
            if found and domain.already_recorded(found[0], trigger.press_id):  # the platform retried
                known = found[0]
                return TriggerResult(alert_id=known.alert_id, joined=False, duplicate=True, flags=known.flags)
            now = self.now()
            device = self.repo.device(trigger.device_id)
            window = self.settings.grouping_window
            if found and domain.joins_open_incident(found[0], trigger.triggered_at, window, device):
                alert, version = found
                with alert_span("alert.press_joined", alert.alert_id, alert.traceparent):
                    outgoing = presses.on_press(
                        alert,
                        press_id=trigger.press_id,
                        triggered_at=trigger.triggered_at,
                        position=trigger.position,
                        now=now,
                        dossier=dossier_of(alert),
                    )
                    outbox = self._outbox(alert, outgoing)
                    if self.repo.save(alert, version, escalation.next_deadline(alert, self.settings.policy), outbox):
                        self._publish_now(alert.alert_id, outbox)
                        return TriggerResult(alert_id=alert.alert_id, joined=True, duplicate=False, flags=alert.flags)
                continue  # the alert changed meanwhile: look again
            return self._raise(trigger, now, device)
        raise RuntimeError("too many concurrent changes to one alert")

    def _raise(self, trigger: AlertTrigger, now: datetime, device: domain.DeviceFacts) -> TriggerResult:
        result = self._raise_once(trigger, now, device)
        if isinstance(result, TriggerResult):
            return result
        known = self.repo.get(result)  # the same press raised it meanwhile (a retry racing the first attempt)
        flags = known[0].flags if known else []
        return TriggerResult(alert_id=result, joined=False, duplicate=True, flags=flags)

    def _raise_once(self, trigger: AlertTrigger, now: datetime, device: domain.DeviceFacts) -> TriggerResult | str:
        alert = domain.raise_alert(
            alert_id=domain.new_id(),
            device=device,
            press_id=trigger.press_id,
            triggered_at=trigger.triggered_at,
            position=trigger.position,
            now=now,
        )
        alert.traceparent = current_traceparent()
        with alert_span("alert.raised", alert.alert_id, alert.traceparent):
            event = AlertRaised(
                alert_id=alert.alert_id,
                device_id=alert.device.device_id,
                attribution_id=alert.device.attribution_id,
                raised_at=alert.raised_at,
                flags=alert.flags,
            )
            outbox = self._outbox(alert, [routing.Outgoing(EventName.ALERT_RAISED, event)])
            first = self.repo.insert(alert, escalation.next_deadline(alert, self.settings.policy), outbox)
            if first is not None:
                return first
            log.info("alert %s raised for device %s %s", alert.alert_id, alert.device.device_id, alert.flags)
            self._publish_now(alert.alert_id, outbox)
            observe_change({}, alert)
            d = alert.device  # no fetch on the alert path, unless no copy of her dossier is held
            if self.missing_dossier and d.dossier is None and d.known and d.attribution_id:
                (self.spawn or _call)(self.missing_dossier, d.device_id, d.attribution_id, alert.alert_id)
        return TriggerResult(alert_id=alert.alert_id, joined=False, duplicate=False, flags=alert.flags)

    def add_position(self, update: PositionUpdate) -> str:
        found = self.repo.open_alert_for(update.device_id)
        if found is None:
            raise NoOpenAlert()
        territory = self.settings.territory

        def rule(a: Alert, now: datetime) -> list[routing.Outgoing]:
            kept = domain.add_position(a, update.position, now)  # only with her consent
            return positions.position_messages(a, now, territory) if kept else []

        return self.mutate(found[0].alert_id, "alert.position", rule).alert_id

    # -- any change to an alert --------------------------------------------------------
    def mutate(self, alert_id: str, span_name: str, rule: Rule) -> Alert:
        """Apply ``rule`` and store the result with its messages; retry on a concurrent change."""
        for _ in range(MAX_CONFLICT_RETRIES):
            found = self.repo.get(alert_id)
            if found is None:
                raise AlertNotFound()
            alert, version = found
            before = steps_of(alert)
            with alert_span(span_name, alert_id, alert.traceparent):
                outgoing = rule(alert, self.now())
                outbox = self._outbox(alert, outgoing)
                if self.repo.save(alert, version, escalation.next_deadline(alert, self.settings.policy), outbox):
                    self._publish_now(alert_id, outbox)
                    observe_change(before, alert)
                    return alert
        raise RuntimeError("too many concurrent changes to one alert")

    def check_deadlines(self) -> int:
        """Failsafe, repeats and escalation of every alert whose deadline has passed."""
        handled, now = 0, self.now()
        for alert_id in self.repo.due(now):
            try:
                self.mutate(alert_id, "alert.deadline", self._due_rule)
            except Exception:  # one alert must not hold back the others' failsafe
                log.exception("deadline of alert %s failed; retried at the next tick", alert_id)
                self.repo.release_due(alert_id, now)
                continue
            handled += 1
        return handled

    def run_retention(self) -> retention.RetentionRun:
        """Purge what is past its retention (see :mod:`alert.retention`); logs counts only."""
        now = self.now()
        run = retention.RetentionRun()
        for alert_id in self.repo.due_for_purge(now, self.settings.record_retention):
            try:
                purged = self._purge_one(alert_id)
            except Exception:  # one alert must not hold back the others' purge
                log.exception("retention of alert %s failed; retried at the next run", alert_id)
                continue
            if purged.copies or purged.anonymised:
                self.repo.drop_published_messages(alert_id)
            run.add(purged)
        run.devices_wiped = self.repo.wipe_returned_devices(now)
        log.info("retention run: %s", run.summary())
        return run

    def _purge_one(self, alert_id: str) -> retention.Purged:
        outcome: list[retention.Purged] = [retention.Purged()]

        def rule(a: Alert, at: datetime) -> list[routing.Outgoing]:
            outcome[0] = retention.purge(a, at, self.settings.record_retention)  # the last attempt's counts
            return []

        self.mutate(alert_id, "alert.retention", rule)
        return outcome[0]

    def device_returned(self, device_id: str, attribution_id: str, returned_at: datetime, wipe: bool = True) -> int:
        """The attribution ended: its alerts' records start their retention; the device's
        facts are wiped at most 3 days later (``wipe`` False: they are another attribution's now)."""
        if wipe:
            self.repo.schedule_device_wipe(device_id, returned_at + retention.DEVICE_WIPE_DELAY)
        marked = 0
        for alert_id in self.repo.alerts_of_device(device_id):
            found = self.repo.get(alert_id)
            if found is None or found[0].device.attribution_id != attribution_id or found[0].basis_ended_at:
                continue
            self.mutate(alert_id, "alert.basis_ended", lambda a, now: _no_messages(retention.end_basis(a, returned_at)))
            marked += 1
        return marked

    def _due_rule(self, alert: Alert, now: datetime) -> list[routing.Outgoing]:
        return escalation.due_actions(alert, now, self.settings.policy, dossier_of(alert), self.settings.territory)

    # -- publishing ---------------------------------------------------------------------
    def _outbox(self, alert: Alert, outgoing: list[routing.Outgoing]) -> Outbox:
        return [(self.events.build(o.event_name, alert.alert_id, o.data), o.routing_key) for o in outgoing]

    def _send(self, envelope: Envelope, routing_key: str | None) -> None:
        if routing_key is None:
            self.events.publish(envelope)
        else:
            self.partners.publish(envelope, routing_key)

    def _publish_now(self, alert_id: str, outbox: Outbox) -> None:
        """Publish what was just stored. With ``spawn`` (the service gives one), each
        message is published in its own green thread: partners get them in parallel and
        the caller does not wait for the broker's confirms (they are stored already).
        Whatever fails stays in the outbox for the relay."""
        for envelope, routing_key in outbox:
            if self.spawn is None:
                self._publish_one(alert_id, envelope, routing_key)
            else:
                self.spawn(self._publish_one, alert_id, envelope, routing_key)

    def _publish_one(self, alert_id: str, envelope: Envelope, routing_key: str | None) -> None:
        """Publish an entry this instance stored under its own lease (the relay leaves it alone)."""
        try:
            self._send(envelope, routing_key)
        except Exception as exc:
            log.warning("message %s left in the outbox (%s)", envelope.id, type(exc).__name__)
            self.repo.release(alert_id, envelope.id)  # the relay of any instance retries it at once
            return
        self.repo.mark_published(alert_id, envelope.id)

    def relay_outbox(self) -> None:
        """Publish what an interrupted or failed publication left (:mod:`alert.outbox_relay`)."""
        relay_alert_outbox(self.repo, self.events.publish_many, self._send)


def _call(fn: Callable[..., Any], *args: Any) -> None:
    fn(*args)


def _no_messages(_: Any) -> list[routing.Outgoing]:
    return []
