"""Device and assignment documents <-> domain objects, atomic device assignment, outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mongoengine.errors import NotUniqueError

from device.domain import Assignment
from device.models import AssignmentDocument, DeviceDocument
from tgd_contracts.envelope import Envelope
from tgd_contracts.stock import AssignmentStatus, DeviceRegistration, DeviceState, DeviceView
from tgd_servicekit.claims import claim_due, release_claim
from tgd_servicekit.documents import load_state, stored_evidence
from tgd_servicekit.outbox import DocumentOutboxStore, outbox_entry
from tgd_servicekit.projection import project

#: a scan finding a document another instance holds leaves it; a dead holder delays it this long
DEADLINE_CLAIM = timedelta(seconds=30)


class StaleAssignment(Exception):
    """Another worker changed the assignment since it was read."""


class DuplicateImei(Exception):
    pass


def to_device_view(doc: DeviceDocument) -> DeviceView:
    return project(DeviceView, doc)


class DeviceRepository(DocumentOutboxStore):
    """What the service's workers may do with the device database."""

    outbox_document = AssignmentDocument
    outbox_owner = "attribution_id"

    # -- stock ------------------------------------------------------------------
    def add_device(self, device_id: str, registration: DeviceRegistration, now: datetime) -> DeviceView:
        doc = DeviceDocument(
            device_id=device_id, state=DeviceState.IN_STOCK.value, registered_at=now, **registration.to_wire()
        )
        try:
            doc.save(force_insert=True)
        except NotUniqueError as exc:
            raise DuplicateImei(registration.imei) from exc
        return to_device_view(doc)

    def get_device(self, device_id: str) -> DeviceView | None:
        doc = DeviceDocument.objects(device_id=device_id).first()
        return to_device_view(doc) if doc else None

    def stock(self, jurisdiction: str) -> list[DeviceView]:
        return [to_device_view(d) for d in DeviceDocument.objects(jurisdiction=jurisdiction).order_by("registered_at")]

    def device_states(self, jurisdiction: str) -> list[DeviceState]:
        return [DeviceState(d.state) for d in DeviceDocument.objects(jurisdiction=jurisdiction).only("state")]

    def assignments_of(self, jurisdiction: str) -> list[Assignment]:
        """Every assignment of a jurisdiction (for the observatory's aggregates)."""
        docs = AssignmentDocument.objects(jurisdiction=jurisdiction).only("state")
        return [Assignment.model_validate(doc.state) for doc in docs]

    def take_device(self, jurisdiction: str, attribution_id: str) -> str | None:
        """Atomically assign the oldest device in stock of the jurisdiction."""
        doc = (
            DeviceDocument.objects(jurisdiction=jurisdiction, state=DeviceState.IN_STOCK.value)
            .order_by("registered_at")
            .modify(set__state=DeviceState.ASSIGNED.value, set__attribution_id=attribution_id, new=True)
        )
        return doc.device_id if doc else None

    def set_device_state(self, device_id: str, attribution_id: str, state: DeviceState) -> None:
        DeviceDocument.objects(device_id=device_id, attribution_id=attribution_id).update_one(set__state=state.value)

    def await_collection(self, device_id: str, attribution_id: str) -> None:
        """Returned: to be collected and reset, never straight back in stock (the handset
        may still be in circulation, with the previous holder's numbers)."""
        DeviceDocument.objects(device_id=device_id, attribution_id=attribution_id).update_one(
            set__state=DeviceState.TO_COLLECT.value
        )

    def recover_device(
        self, device_id: str, collected_at: datetime, reset_at: datetime, state: DeviceState = DeviceState.TO_COLLECT
    ) -> bool:
        """Collected and reset: back in stock, attached to no attribution (False: no longer in ``state``)."""
        return bool(
            DeviceDocument.objects(device_id=device_id, state=state.value).update_one(
                set__state=DeviceState.IN_STOCK.value,
                set__attribution_id=None,
                set__collected_at=collected_at,
                set__reset_at=reset_at,
                set__out_of_service_reason=None,
                set__out_of_service_at=None,
            )
        )

    def transfer_device(self, device_id: str, source: str, target: str, now: datetime) -> bool:
        """Transfert: only while still in stock at ``source`` (False: it changed meanwhile)."""
        return bool(
            DeviceDocument.objects(
                device_id=device_id, jurisdiction=source, state=DeviceState.IN_STOCK.value
            ).update_one(set__jurisdiction=target, set__transferred_from=source, set__transferred_at=now)
        )

    def retire_device(self, device_id: str, state: DeviceState, reason: str, now: datetime) -> bool:
        """Retrait du parc, only from the state it was checked in (False: it changed meanwhile)."""
        return bool(
            DeviceDocument.objects(device_id=device_id, state=state.value).update_one(
                set__state=DeviceState.RETIRED.value, set__out_of_service_reason=reason, set__out_of_service_at=now
            )
        )

    def put_out_of_service(
        self, device_id: str, attribution_id: str, state: DeviceState, reason: str, now: datetime
    ) -> None:
        """Her replaced terminal (lost, broken): out of service, still named with her attribution."""
        DeviceDocument.objects(device_id=device_id, attribution_id=attribution_id).update_one(
            set__state=state.value, set__out_of_service_reason=reason, set__out_of_service_at=now
        )

    def release_device(self, device_id: str, attribution_id: str) -> None:
        """Back in stock when the assignment could not be saved (the handset never left)."""
        DeviceDocument.objects(device_id=device_id, attribution_id=attribution_id).update_one(
            set__state=DeviceState.IN_STOCK.value, set__attribution_id=None
        )

    # -- assignments --------------------------------------------------------------
    def load(self, attribution_id: str) -> tuple[Assignment, int] | None:
        return load_state(AssignmentDocument, Assignment, attribution_id=attribution_id)

    def evidence_of(self, attribution_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """The assignment as stored (fiche navette, test calls, return) and its retained envelopes."""
        return stored_evidence(AssignmentDocument, attribution_id=attribution_id)

    def load_by_device(self, device_id: str) -> Assignment | None:
        doc = (
            AssignmentDocument.objects(
                device_id=device_id, status__in=[AssignmentStatus.PROVISIONED.value, AssignmentStatus.ACTIVE.value]
            )
            .only("state")
            .first()
        )
        return Assignment.model_validate(doc.state) if doc else None

    def save(
        self, a: Assignment, version: int | None, events: list[Envelope], now: datetime, next_deadline: datetime | None
    ) -> None:
        """Insert (version None) or update if unchanged since read, with the events, in one write."""
        fields = {
            "jurisdiction": a.jurisdiction,
            "status": a.status.value,
            "device_id": a.device_id,
            "next_deadline_at": next_deadline,
            "deadline_claim_until": None,  # the deadline handled (or moved): its claim ends
            "wiped": a.wiped,
            "state": a.model_dump(mode="json"),
        }
        entries = [outbox_entry(e) for e in events]
        if version is None:
            try:
                AssignmentDocument(attribution_id=a.attribution_id, created_at=now, outbox=entries, **fields).save(
                    force_insert=True
                )
            except NotUniqueError:
                raise StaleAssignment(a.attribution_id) from None
            return
        updates: dict[str, Any] = {f"set__{k}": v for k, v in fields.items()}
        updates["inc__version"] = 1
        if entries:
            updates["push_all__outbox"] = entries
        elif a.wiped:  # the published events named her home commune: they go with the fiche
            updates["pull__outbox__published"] = True
        if not AssignmentDocument.objects(attribution_id=a.attribution_id, version=version).update_one(**updates):
            raise StaleAssignment(a.attribution_id)

    def waiting_for_stock(self, jurisdiction: str) -> list[str]:
        docs = AssignmentDocument.objects(jurisdiction=jurisdiction, status=AssignmentStatus.OUT_OF_STOCK.value)
        return [d.attribution_id for d in docs.order_by("created_at").only("attribution_id")]

    def due(self, now: datetime, limit: int = 500) -> list[str]:
        """Assignments with a deadline reached (test-call reminder or overdue, wipe), oldest
        first, each claimed by this instance (another instance scanning too leaves it alone)."""
        return claim_due(AssignmentDocument, now, DEADLINE_CLAIM, limit)

    def release_due(self, key: str, now: datetime) -> None:
        """The claim :meth:`due` took at ``now``, given back when the handling stored nothing."""
        release_claim(AssignmentDocument, key, now, DEADLINE_CLAIM)
