"""The device service (plateforme de téléassistance): nameko entrypoints only; rules
live in :mod:`device.domain`, storage in :mod:`device.repository`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nameko import config
from nameko.timer import timer

from device import domain, models, moves
from device.dependencies import Clock, PolicyProvider, device_database
from device.exceptions import (
    EXPECTED,
    AttributionNotFound,
    DeviceInactive,
    DeviceNotFound,
    InvalidState,
    UnknownJurisdiction,
)
from device.handling_entrypoints import HandlingEntrypoints
from device.move_entrypoints import MoveEntrypoints
from device.repository import StaleAssignment
from device.requests import check_id, parse
from device.statistics import device_figures
from device.stock_entrypoints import StockEntrypoints
from tgd_contracts.dossier import Dossier
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.evidence import SubjectKind, service_part
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.statistics import DeviceFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_contracts.stock import (
    AssignmentPage,
    AssignmentStatus,
    DeviceState,
    FicheNavette,
    TestCall,
)
from tgd_servicekit import rotation
from tgd_servicekit.consumers import rpc
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.outbox import publish_stored, relay

log = logging.getLogger(__name__)
Transition = Callable[[domain.Assignment], tuple[domain.Assignment, list[domain.Event]]]


class DeviceService(MoveEntrypoints, HandlingEntrypoints, rotation.KeyRotation, StockEntrypoints):
    name = "device"
    ENCRYPTED_DOCUMENTS = (models.AssignmentDocument,)  # module access: nameko inspects classes here

    store = device_database()
    events = EnvelopeDispatcher()
    now = Clock()
    policy = PolicyProvider()

    # -- the attribution's events ------------------------------------------------
    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_DECIDED)
    def on_attribution_decided(self, event: ReceivedEvent) -> None:
        data = event.data
        self._change(data.attribution_id, lambda a: (domain.on_decision(a, data.jurisdiction, data.granted), []))

    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_WITHDRAWN)
    def on_attribution_withdrawn(self, event: ReceivedEvent) -> None:
        self._change(event.data.attribution_id, lambda a: domain.end(a, self.now(), self.policy))

    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_EXPIRED)
    def on_attribution_expired(self, event: ReceivedEvent) -> None:
        self._change(event.data.attribution_id, lambda a: domain.end(a, self.now(), self.policy))

    @envelope_handler(ServiceName.ALERT, EventName.ALERT_TEST_CALL)
    def on_alert_test_call(self, event: ReceivedEvent) -> None:
        """A press of the alert key qualified as a test call: it counts toward the 15 days
        (idempotent: recorded once per alert)."""
        d = event.data
        if self.store.load(d.attribution_id) is None:
            log.warning("test call of alert %s for an unknown attribution: ignored", d.alert_id)
            return
        self._change(
            d.attribution_id,
            lambda a: domain.record_alert_test_call(
                a, alert_id=d.alert_id, device_id=d.device_id, called_at=d.called_at, policy=self.policy
            ),
        )

    # -- the parquet and the operator -------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def record_fiche(self, attribution_id: str, fiche: dict[str, Any]) -> dict[str, Any]:
        """Fiche navette from the parquet; provisions a device once the attribution is granted."""
        parsed = parse(FicheNavette, fiche)
        return domain.view(
            self._change(attribution_id, lambda a: moves.fiche_recorded(a, parsed, self.now()))
        ).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_assignment(self, attribution_id: str) -> dict[str, Any]:
        loaded = self.store.load(check_id(attribution_id))
        if loaded is None:
            raise AttributionNotFound()
        return domain.view(loaded[0]).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def list_assignments(self, jurisdiction: str, active_only: bool = True) -> dict[str, Any]:
        """The device side of a court's measures (next test call due), for the association's screen."""
        assignments = self.store.assignments_of(check_id(jurisdiction))
        if active_only:
            assignments = [a for a in assignments if a.status == AssignmentStatus.ACTIVE]
        items = [domain.view(a) for a in assignments]
        return AssignmentPage(jurisdiction=jurisdiction, items=items).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def assignment_evidence(self, attribution_id: str) -> dict[str, Any]:
        """The device side of a measure's evidence: the assignment (fiche navette, test
        calls, hand-overs, replacements, return, wipe), her terminals (the current one and
        those replaced: their alerts belong to the measure too), and the events still retained."""
        found = self.store.evidence_of(check_id(attribution_id))
        if found is None:
            raise AttributionNotFound()
        state, events = found
        device_id = state.get("device_id")
        device = self.store.get_device(device_id) if device_id else None
        earlier = [r["previous_device_id"] for r in state.get("replacements") or []]  # her lost or broken ones
        replaced = [d.to_wire() for d in map(self.store.get_device, earlier) if d is not None]
        records = {"assignment": state, "device": device.to_wire() if device else None, "replaced_devices": replaced}
        return service_part(
            "device",
            SubjectKind.MEASURE,
            attribution_id,
            state.get("jurisdiction"),
            records,
            events,
            self.now(),
            related={"device_ids": [*earlier, device_id]} if device_id else {},
        ).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def record_test_call(self, device_id: str, call: dict[str, Any]) -> dict[str, Any]:
        """Appel test; the two-way call at hand-over activates the device."""
        parsed = parse(TestCall, call)
        assignment = self.store.load_by_device(check_id(device_id))
        if assignment is None:
            if self.store.get_device(device_id) is None:
                raise DeviceNotFound()
            raise DeviceInactive()
        changed = self._change(
            assignment.attribution_id, lambda a: domain.record_test_call(a, parsed, self.now(), self.policy)
        )
        return domain.view(changed).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_dossier(self, device_id: str) -> dict[str, Any]:
        """The dossier of the beneficiary holding this device (for the alert service)."""
        a = self.store.load_by_device(check_id(device_id))
        if a is None or a.fiche is None or a.device_id is None or a.jurisdiction is None:
            raise DeviceNotFound()
        return Dossier(
            attribution_id=a.attribution_id,
            device_id=a.device_id,
            jurisdiction=a.jurisdiction,
            beneficiary=a.fiche.beneficiary,
            author=a.fiche.author,
        ).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Observatory aggregates of a jurisdiction: the stock now (exact), provisionings and
        returns in the period (anonymised)."""
        return anonymised.devices(DeviceFigures.consume(self.exact_statistics(query))).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def exact_statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Exact figures of a court and period (its parquet, the steering committee)."""
        parsed = parse(StatisticsQuery, query)
        if parsed.jurisdiction not in JURISDICTIONS:
            raise UnknownJurisdiction()
        j = parsed.jurisdiction
        return device_figures(parsed, self.store.device_states(j), self.store.assignments_of(j), self.now()).to_wire()

    # -- time ---------------------------------------------------------------------
    @timer(interval=float(config.get("DEADLINE_CHECK_INTERVAL", 60)))
    def check_deadlines(self) -> None:
        """Test-call reminders and overdue notices, and data wipes after return."""
        now = self.now()
        due = self.store.due(now)
        wiped = 0
        for attribution_id in due:
            try:
                changed = self._change(attribution_id, lambda a: domain.tick(a, now, self.policy))
            except InvalidState:
                log.info("assignment %s changed during the deadline check; next pass", attribution_id)
                continue
            finally:
                self.store.release_due(attribution_id, now)  # unless the save cleared it
            wiped += int(changed.wiped and changed.wipe_due_at is not None and changed.wipe_due_at <= now)
        if due:  # counts only, never what was wiped (arrêté du 22 avril 2015: 3 days after return)
            log.info("retention run: deadlines_due=%d fiches_wiped=%d", len(due), wiped)

    @timer(interval=float(config.get("OUTBOX_RELAY_INTERVAL", 5)))
    def relay_outbox(self) -> None:
        report = relay(self.store, publish_many=self.events.publish_many)  # pipelined confirms
        if report.failed:
            log.warning("outbox relay: %d published, %d failed", report.published, report.failed)

    # -- helpers ------------------------------------------------------------------
    def _change(self, attribution_id: str, transition: Transition) -> domain.Assignment:
        """Load (or start) the assignment, apply a transition, assign a device when it is
        ready, store the state and its events in one write, then publish."""
        loaded = self.store.load(check_id(attribution_id))
        current, version = loaded if loaded else (domain.Assignment(attribution_id=attribution_id), None)
        changed, emitted = transition(current)
        taken = None
        if changed.ready_to_provision and changed.jurisdiction:
            taken = self.store.take_device(changed.jurisdiction, attribution_id)
            if taken is None:
                changed, more = domain.out_of_stock(changed, self.now())
            else:
                department = JURISDICTIONS[changed.jurisdiction].department
                changed, more = domain.provision(changed, taken, department, self.now())
            emitted = [*emitted, *more]
        if version is not None and changed == current and not emitted:
            return current
        envelopes = [self.events.build(name, attribution_id, data) for name, data in emitted]
        try:
            self.store.save(changed, version, envelopes, self.now(), domain.next_deadline(changed, self.policy))
        except StaleAssignment:
            if taken:
                self.store.release_device(taken, attribution_id)
            raise InvalidState("The attribution changed meanwhile; retry.") from None
        self._device_follows(current, changed)
        for envelope in envelopes:
            log.info("attribution %s: %s", attribution_id, envelope.event_name)
        publish_stored(self.store, attribution_id, envelopes, self.events.publish)  # under this instance's lease
        return changed

    def _device_follows(self, before: domain.Assignment, after: domain.Assignment) -> None:
        if after.device_id is None or before.status == after.status:
            return
        if after.status == AssignmentStatus.ACTIVE:
            self.store.set_device_state(after.device_id, after.attribution_id, DeviceState.ACTIVE)
        elif after.status == AssignmentStatus.RETURNED:
            self.store.await_collection(after.device_id, after.attribution_id)
