"""Restore a court's terminals and assignments handed over by another operator (reprise
d'un ressort, docs/handover.md), mixed into :class:`device.service.DeviceService` in one line.

- ``handover_terminals``: the court's terminals as stored, registration included (IMEI,
  IMSI, GPS chip: the stock view leaves them out, a restore cannot do without them);
- ``restore_terminals``: writes them here, each once; checks every one before writing any;
- ``restore_handover``: writes one assignment (fiche navette, test calls, hand-overs) as
  this service stores it, encrypted with this platform's keys, with this platform's next
  deadline; then re-emits what the alert service's read model needs to route her alerts
  here: ``device_provisioned`` (her court, department and home commune; notify informs the
  competent forces again, from this operator, and its ``forces_informed`` gives the read
  model her units) and, for an active measure, ``device_activated`` (the read model then
  fetches her dossier from this service).

``dry_run=True`` checks without writing (the CLI checks every service for a measure
before it writes any of them)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from device import domain
from device.models import AssignmentDocument, DeviceDocument
from tgd_contracts.device import DeviceActivated, DeviceProvisioned
from tgd_contracts.events import EventName
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.stock import AssignmentStatus
from tgd_servicekit.consumers import rpc
from tgd_servicekit.handover_restore import RestoreConflict, RestoreRefused, outcome, records_of
from tgd_servicekit.outbox import outbox_entry, publish_stored
from tgd_servicekit.requests import InvalidRequest, check_id

log = logging.getLogger(__name__)
EXPECTED = (RestoreConflict, RestoreRefused)
TERMINAL = ("device_id", "jurisdiction", "terminal_number", "brand", "model", "imei", "imsi", "gps_chip_id",
            "state", "attribution_id", "registered_at", "collected_at", "reset_at", "out_of_service_reason",
            "out_of_service_at", "transferred_from", "transferred_at")  # fmt: skip
REQUIRED = ("device_id", "jurisdiction", "terminal_number", "brand", "model", "imei", "imsi", "gps_chip_id",
            "state", "registered_at")  # fmt: skip


def terminal_record(doc: DeviceDocument) -> dict[str, Any]:
    return {name: _wire(getattr(doc, name)) for name in TERMINAL}


def _wire(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _terminal(record: Any, jurisdiction: str) -> dict[str, Any]:
    if not isinstance(record, dict) or any(not isinstance(record.get(k), str) for k in REQUIRED):
        raise RestoreRefused(f"a terminal lacks one of {', '.join(REQUIRED)}.")
    if record["jurisdiction"] != jurisdiction:
        raise RestoreRefused("a terminal of another court: nothing restored.")
    return {name: record.get(name) for name in TERMINAL}


class HandoverRestoreEntrypoints:
    """Needs the service's ``store``, ``events``, ``now`` and ``policy``."""

    store: Any
    events: Any
    now: Any
    policy: Any

    @rpc(expected_exceptions=EXPECTED)
    def handover_terminals(self, jurisdiction: str) -> dict[str, Any]:
        if jurisdiction not in JURISDICTIONS:
            raise RestoreRefused("unknown court.")
        docs = DeviceDocument.objects(jurisdiction=jurisdiction).order_by("registered_at")
        return {"jurisdiction": jurisdiction, "items": [terminal_record(d) for d in docs]}

    @rpc(expected_exceptions=EXPECTED)
    def restore_terminals(self, jurisdiction: str, terminals: list[Any], dry_run: bool = False) -> dict[str, Any]:
        """Every terminal once (``restored`` / ``unchanged`` counts); one that exists with
        other content, or whose IMEI is another terminal's here, refuses them all."""
        if not isinstance(terminals, list):
            raise RestoreRefused("terminals is a list.")
        records = [_terminal(t, jurisdiction) for t in terminals]
        new = []
        for record in records:
            doc = DeviceDocument.objects(device_id=record["device_id"]).first()
            if outcome("terminal", record["device_id"], terminal_record(doc) if doc else None, record) is None:
                if DeviceDocument.objects(imei=record["imei"]).first() is not None:
                    raise RestoreConflict(f"terminal {record['device_id']}: its IMEI is another terminal's here.")
                new.append(record)
        if not dry_run:
            for record in new:
                DeviceDocument(**record).save(force_insert=True)
            log.info("court %s: %d terminals restored from a hand-over", jurisdiction, len(new))
        return {"restored": len(new), "unchanged": len(records) - len(new)}

    @rpc(expected_exceptions=EXPECTED)
    def restore_handover(self, part: dict[str, Any], dry_run: bool = False) -> dict[str, Any]:
        """Write the assignment of a hand-over part once and re-emit its routing facts;
        ``unchanged`` when the same one is here already; another one under this id is refused."""
        (state,) = records_of(part, "device", "assignment")
        try:
            a = domain.Assignment.model_validate(state)
            check_id(a.attribution_id)
        except (ValidationError, InvalidRequest) as exc:
            raise RestoreRefused(f"the assignment is not valid ({type(exc).__name__}).") from None
        if a.jurisdiction not in JURISDICTIONS:
            raise RestoreRefused("the assignment names no known court.")
        if a.device_id and DeviceDocument.objects(device_id=a.device_id).first() is None and not dry_run:
            raise RestoreRefused(f"terminal {a.device_id} is not here: restore the court's terminals first.")
        incoming = a.model_dump(mode="json")
        doc = AssignmentDocument.objects(attribution_id=a.attribution_id).first()
        found = outcome("assignment", a.attribution_id, dict(doc.state) if doc else None, incoming)
        if found is not None or dry_run:
            return {"attribution_id": a.attribution_id, "outcome": found or "restored"}
        envelopes = [self.events.build(name, a.attribution_id, data) for name, data in _routing_facts(a)]
        AssignmentDocument(
            attribution_id=a.attribution_id,
            jurisdiction=a.jurisdiction,
            status=a.status.value,
            device_id=a.device_id,
            next_deadline_at=domain.next_deadline(a, self.policy),
            wiped=a.wiped,
            created_at=self.now(),
            state=incoming,
            outbox=[outbox_entry(e) for e in envelopes],
        ).save(force_insert=True)
        log.info("attribution %s restored from a hand-over", a.attribution_id)
        publish_stored(self.store, a.attribution_id, envelopes, self.events.publish)
        return {"attribution_id": a.attribution_id, "outcome": "restored"}


def _routing_facts(a: domain.Assignment) -> list[tuple[str, Any]]:
    """What the alert read model learnt from this assignment: her terminal provisioned
    (court, department, home) and, when it is, active. None for an assignment without a
    terminal in her hands."""
    live = (AssignmentStatus.PROVISIONED, AssignmentStatus.ACTIVE)
    if a.device_id is None or a.status not in live or a.fiche is None or a.jurisdiction is None:
        return []
    since = a.device_since or a.provisioned_at
    facts: list[tuple[str, Any]] = [(EventName.DEVICE_PROVISIONED, DeviceProvisioned(
        device_id=a.device_id, attribution_id=a.attribution_id, jurisdiction=a.jurisdiction,
        department=JURISDICTIONS[a.jurisdiction].department, home_insee_code=a.fiche.beneficiary.home.insee_code,
        provisioned_at=since))]  # fmt: skip
    if a.status == AssignmentStatus.ACTIVE and a.activated_at is not None:
        facts.append((EventName.DEVICE_ACTIVATED, DeviceActivated(
            device_id=a.device_id, attribution_id=a.attribution_id, activated_at=a.activated_at)))  # fmt: skip
    return facts
