"""The alert service's use cases under its entrypoints: an alert raised or joined by a
press, and any change to an alert through :func:`tgd_servicekit.aggregate.change` (load,
apply a rule of :mod:`alert.domain`, store the record with its outgoing messages in one
write, publish them, mark them published, retry on a concurrent change). No nameko here:
the entrypoints hand in their injected dependencies, and tests hand in fakes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import datetime
from operator import itemgetter
from typing import Any, Protocol

from alert import domain
from alert.dependencies.settings import AlertSettings
from alert.dependencies.tracing import alert_span, current_traceparent
from alert.domain import Alert, dossier_of, escalation, positions, presses, routing
from alert.exceptions import AlertNotFound, NoOpenAlert
from alert.handlers.retention import RetentionOperations
from alert.read import observe_change, steps_of
from alert.repository import AlertRepository, AlertStore, Outbox
from alert.repository.outbox_relay import RoutedStore, alert_outbox
from tgd_contracts.alert import AlertRaised, AlertTrigger, PositionUpdate, TriggerResult
from tgd_contracts.base import Contract
from tgd_contracts.envelope import Envelope
from tgd_contracts.events import EventName
from tgd_servicekit.aggregate import MAX_ATTEMPTS, change
from tgd_servicekit.keyed_locks import KeyedLocks
from tgd_servicekit.outbox import PublishMany
from tgd_servicekit.outbox_publish import Parallel, in_green_threads, publish_stored, started

log = logging.getLogger(__name__)
#: the alerts being changed by this process's workers (one change at a time per alert)
CHANGING = KeyedLocks()
Rule = Callable[[Alert, datetime], list[routing.Outgoing]]


class Events(Protocol):
    def build(self, event_name: str, subject: str, data: Contract) -> Envelope: ...
    def publish(self, envelope: Envelope) -> None: ...
    def publish_many(self, envelopes: Sequence[Envelope]) -> list[BaseException | None]: ...


class Partners(Protocol):
    def publish(self, envelope: Envelope, routing_key: str) -> None: ...


class AlertOperations(RetentionOperations):
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
        self.store = AlertStore(repo, settings.policy)

    # -- trigger ------------------------------------------------------------------
    def trigger(self, trigger: AlertTrigger) -> TriggerResult:
        """Record a press: a new alert, a press joining the open incident, or a retry (a
        press id already recorded on the device's open incident)."""
        for _ in range(MAX_ATTEMPTS):
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
                    if self.store.save(alert.alert_id, alert, version, outbox):
                        self._publish_now(alert.alert_id, outbox)
                        return TriggerResult(alert_id=alert.alert_id, joined=True, duplicate=False, flags=alert.flags)
                continue  # the alert changed meanwhile: look again
            return self._raise(trigger, now, device)
        raise _too_many_changes()

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
                jurisdiction=alert.device.jurisdiction,
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
        """Apply ``rule``, store the result with its messages, publish them; retry on a concurrent
        change (:func:`tgd_servicekit.aggregate.change`), each attempt a span in the alert's trace.
        Changes to one alert in this process take turns (:data:`CHANGING`), each from the alert
        as the previous one wrote it (no read back); a rule refusing that state is asked again
        on the stored record (another instance may have changed it)."""
        with CHANGING.hold(alert_id):
            try:
                return self._mutate(alert_id, span_name, rule)
            except Exception:
                if not self.store.loaded_from_memory or self.store.wrote:
                    raise
            self.store.from_memory = False
            return self._mutate(alert_id, span_name, rule)

    def _mutate(self, alert_id: str, span_name: str, rule: Rule) -> Alert:
        before: dict[str, dict] = {}
        with ExitStack() as span:

            def apply(alert: Alert) -> tuple[Alert, list[routing.Outgoing]]:
                span.close()  # the previous attempt's span (it lost the race) ends
                span.enter_context(alert_span(span_name, alert_id, alert.traceparent))
                before["steps"] = steps_of(alert)
                return alert, rule(alert, self.now())  # the rule changes the alert in place

            done = change(
                self.store,
                alert_id,
                apply,
                publish=self._send_entry,
                build=self._entry,
                envelope_of=itemgetter(0),  # an entry is (envelope, routing key)
                missing=AlertNotFound,
                conflict=_too_many_changes,
                skip_unchanged=False,
                spawn=started(self.spawn) if self.spawn else None,  # dispatches out before the answer
                parallel=self._parallel,
            )
            observe_change(before["steps"], done.after)
        return done.after

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

    def _due_rule(self, alert: Alert, now: datetime) -> list[routing.Outgoing]:
        return escalation.due_actions(alert, now, self.settings.policy, dossier_of(alert), self.settings.territory)

    # -- publishing ---------------------------------------------------------------------
    def _entry(self, alert: Alert, o: routing.Outgoing) -> tuple[Envelope, str | None]:
        """An outgoing message as the outbox keeps it: its envelope and, for a partner, its routing key."""
        return self.events.build(o.event_name, alert.alert_id, o.data), o.routing_key

    def _outbox(self, alert: Alert, outgoing: list[routing.Outgoing]) -> Outbox:
        return [self._entry(alert, o) for o in outgoing]

    def _send(self, envelope: Envelope, routing_key: str | None) -> None:
        if routing_key is None:
            self.events.publish(envelope)
        else:
            self.partners.publish(envelope, routing_key)

    def _send_entry(self, entry: tuple[Envelope, str | None]) -> None:
        self._send(*entry)

    @property
    def _parallel(self) -> Parallel | None:  # with spawn (the service's): partners get them together
        return in_green_threads if self.spawn else None

    def _publish_now(self, alert_id: str, outbox: Outbox) -> None:
        """Publish what was just stored under this instance's lease, mark it published (see
        :func:`tgd_servicekit.outbox_publish.publish_stored`); what fails stays for the relay."""
        routes = {envelope.id: routing_key for envelope, routing_key in outbox}
        envelopes = [envelope for envelope, _ in outbox]
        send = lambda envelope: self._send(envelope, routes[envelope.id])  # noqa: E731
        (self.spawn or _call)(publish_stored, self.repo, alert_id, envelopes, send, self._parallel)

    def outbox(self) -> tuple[RoutedStore, PublishMany]:
        """The alert outbox for the relay (:mod:`alert.repository.outbox_relay`)."""
        return alert_outbox(self.repo, self.events.publish_many, self._send)


def _call(fn: Callable[..., Any], *args: Any) -> None:
    fn(*args)


def _too_many_changes() -> RuntimeError:
    return RuntimeError("too many concurrent changes to one alert")
