"""Alert documents <-> domain objects, the device read model and the inbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mongoengine.errors import NotUniqueError

from alert import attributions, retention
from alert.domain import Alert, DeviceFacts
from alert.models import AlertDocument, AlertOutboxEntry, DeviceDocument, InboxDocument, OpenIncidentDocument
from tgd_contracts.envelope import Envelope
from tgd_servicekit.claims import claim_due, release_claim
from tgd_servicekit.durations import Period
from tgd_servicekit.outbox import DocumentOutboxStore, writer_lease


def outbox_entry(envelope: Envelope, routing_key: str | None) -> AlertOutboxEntry:
    return AlertOutboxEntry(
        event_id=envelope.id, envelope=envelope.model_dump(mode="json"), routing_key=routing_key, **writer_lease()
    )


def _fields(alert: Alert, deadline: datetime | None) -> dict[str, Any]:
    return {
        "device_id": alert.device.device_id,
        "positions_purge_at": retention.next_purge_at(alert),
        "basis_ended_at": retention.basis_ended_at(alert),
        "state": alert.state.value,
        "open": alert.is_open,
        "next_deadline_at": deadline,
        "deadline_claim_until": None,  # the deadline handled (or moved): its claim ends
        "press_ids": [] if alert.anonymised_at else [p.press_id for p in alert.presses],
        "record": alert.model_dump(mode="json"),
    }


def raised_by(alert: Alert) -> str | None:
    """The unique key of the press that raised an open alert (None once it is closed)."""
    return f"{alert.device.device_id} {alert.presses[0].press_id}" if alert.is_open and alert.presses else None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_alert(doc: AlertDocument) -> Alert:
    return Alert.model_validate(doc.record)


Outbox = list[tuple[Envelope, str | None]]
#: a failsafe must not wait long behind an instance that died holding its claim
DEADLINE_CLAIM = timedelta(seconds=5)


class AlertRepository(DocumentOutboxStore):
    """What the service's workers may do with the alert database."""

    outbox_document = AlertDocument
    outbox_owner = "alert_id"

    # -- alerts -----------------------------------------------------------------
    def insert(self, alert: Alert, deadline: datetime | None, outbox: Outbox) -> str | None:
        """Store a new alert and its outgoing messages in one write. None once stored; the
        id of the open alert the same press already raised when it did (nothing stored)."""
        key = raised_by(alert)
        try:
            AlertDocument(
                alert_id=alert.alert_id,
                raised_at=alert.raised_at,
                version=1,
                outbox=[outbox_entry(e, rk) for e, rk in outbox],
                raised_by=key,
                **_fields(alert, deadline),
            ).save(force_insert=True)
        except NotUniqueError:
            first = AlertDocument.objects(raised_by=key).only("alert_id").first() if key else None
            if first is None:
                raise
            return first.alert_id
        OpenIncidentDocument.objects(device_id=alert.device.device_id).upsert_one(set__alert_id=alert.alert_id)
        return None

    def get(self, alert_id: str) -> tuple[Alert, int] | None:
        doc = AlertDocument.objects(alert_id=alert_id).exclude("outbox").first()
        return (to_alert(doc), doc.version) if doc else None

    def save(self, alert: Alert, version: int, deadline: datetime | None, outbox: Outbox) -> bool:
        """Write the new record and its messages if nobody changed it since ``version``."""
        updates = {f"set__{k}": v for k, v in _fields(alert, deadline).items()}
        if raised_by(alert) is None:
            updates["unset__raised_by"] = True  # absent, not null: the unique index skips it
        if outbox:
            updates["push_all__outbox"] = [outbox_entry(e, rk) for e, rk in outbox]
        saved = bool(
            AlertDocument.objects(alert_id=alert.alert_id, version=version).update_one(
                set__version=version + 1, **updates
            )
        )
        if saved and not alert.is_open:
            OpenIncidentDocument.objects(device_id=alert.device.device_id, alert_id=alert.alert_id).delete()
        return saved

    def open_alert_for(self, device_id: str) -> tuple[Alert, int] | None:
        pointer = OpenIncidentDocument.objects(device_id=device_id).first()
        found = self.get(pointer.alert_id) if pointer else None
        return found if found and found[0].is_open else None

    def due(self, now: datetime, limit: int = 100) -> list[str]:
        """Alerts whose deadline has passed, each claimed by this instance (never two at once)."""
        return claim_due(AlertDocument, now, DEADLINE_CLAIM, limit)

    def release_due(self, key: str, now: datetime) -> None:
        """The claim :meth:`due` took at ``now``, given back when the handling stored nothing."""
        release_claim(AlertDocument, key, now, DEADLINE_CLAIM)

    def due_for_purge(self, now: datetime, record_retention: Period, limit: int = 500) -> list[str]:
        """Alerts with positions or copies past their retention, or a record past its basis."""
        positions = AlertDocument.objects(positions_purge_at__lte=now).only("alert_id").limit(limit)
        records = AlertDocument.objects(basis_ended_at__lte=record_retention.before(now), open=False)
        ids = [doc.alert_id for doc in positions]
        return ids + [doc.alert_id for doc in records.only("alert_id").limit(limit) if doc.alert_id not in ids]

    def alerts_of_device(self, device_id: str) -> list[str]:
        return [doc.alert_id for doc in AlertDocument.objects(device_id=device_id).only("alert_id")]

    def drop_published_messages(self, alert_id: str) -> None:
        """Published messages carried the position and the dossier: they go with the positions."""
        AlertDocument.objects(alert_id=alert_id).update_one(pull__outbox__published=True)

    def evidence_of(self, alert_id: str) -> tuple[Alert, list[dict[str, Any]]] | None:
        """The alert and the envelopes of its messages still retained (published or not)."""
        doc = AlertDocument.objects(alert_id=alert_id).first()
        if doc is None:
            return None
        return to_alert(doc), [dict(entry.envelope) for entry in doc.outbox]

    def alert_ids_of_device(self, device_id: str, attribution_id: str | None, limit: int = 1000) -> list[str]:
        """Alerts raised from a device, oldest first; with ``attribution_id``, only those
        raised while it was assigned to that attribution (a device is reassigned after return)."""
        found = AlertDocument.objects(device_id=device_id).exclude("outbox").order_by("raised_at").limit(limit)
        alerts = [to_alert(doc) for doc in found]
        return [a.alert_id for a in alerts if attribution_id is None or a.device.attribution_id == attribution_id]

    def open_alerts(self, limit: int = 200) -> list[Alert]:
        found = AlertDocument.objects(open=True).exclude("outbox").order_by("raised_at").limit(limit)
        return [to_alert(doc) for doc in found]

    def raised_between(self, start: datetime, end: datetime) -> list[Alert]:
        """Alerts raised in ``[start, end)`` (for the observatory's aggregates)."""
        found = AlertDocument.objects(raised_at__gte=start, raised_at__lt=end).exclude("outbox")
        return [to_alert(doc) for doc in found]

    # -- devices (read model) ---------------------------------------------------
    def device(self, device_id: str) -> DeviceFacts:
        doc = DeviceDocument.objects(device_id=device_id).first()
        return DeviceFacts.model_validate(doc.facts) if doc else DeviceFacts(device_id=device_id)

    def update_device(self, device_id: str, **changes: Any) -> None:
        """Set some facts atomically (field by field: the device and notify events of one
        device are handled concurrently, a read-modify-write would lose some)."""
        validated = DeviceFacts(device_id=device_id, known=True, **changes).model_dump(mode="json")
        fields = {f"set__facts__{key}": validated[key] for key in ("device_id", "known", *changes)}
        DeviceDocument.objects(device_id=device_id).update_one(upsert=True, set__updated_at=datetime.now(UTC), **fields)

    def holder(self, device_id: str) -> attributions.Holder:
        return self._holder(device_id)[0]

    def _holder(self, device_id: str) -> tuple[attributions.Holder, str | None]:
        """The holder, and the stored ``attribution_id`` to compare-and-set against (None
        for a record kept before the field existed: its facts name the attribution)."""
        doc = DeviceDocument.objects(device_id=device_id).first()
        if doc is None:
            return attributions.Holder(), None
        at = _aware(doc.provisioned_at) if doc.provisioned_at else None
        current = doc.attribution_id or (doc.facts or {}).get("attribution_id")
        return attributions.Holder(current, at, frozenset(doc.ended or ())), doc.attribution_id

    def apply_device_event(
        self, device_id: str, attribution_id: str, provisioned_at: datetime | None = None, **changes: Any
    ) -> attributions.Step:
        """Apply an attribution's facts to the read model (see :mod:`alert.attributions`):
        update the current attribution's, or replace the previous one's entirely."""
        for _ in range(8):
            holder, stored = self._holder(device_id)
            decided = attributions.step(holder, attribution_id, provisioned_at)
            if decided in (attributions.Step.IGNORE, attributions.Step.WAIT):
                return decided
            plain: dict[str, Any] = {"set__attribution_id": attribution_id, "set__updated_at": datetime.now(UTC)}
            if provisioned_at is not None:
                plain["set__provisioned_at"] = provisioned_at
            changes = {**changes, "attribution_id": attribution_id}
            validated = DeviceFacts(device_id=device_id, known=True, **changes).model_dump(mode="json")
            if decided == attributions.Step.REPLACE:  # nothing of the previous attribution remains
                fields = {"set__facts": validated, "set__wipe_due_at": None}
            else:
                fields = {f"set__facts__{key}": validated[key] for key in ("device_id", "known", *changes)}
            try:
                done = DeviceDocument.objects(device_id=device_id, attribution_id=stored).update_one(
                    upsert=holder.attribution_id is None, **plain, **fields
                )
            except NotUniqueError:  # created meanwhile by another event of the same device
                continue
            if done:
                return decided
        raise RuntimeError("too many concurrent changes to one device")

    def end_attribution(self, device_id: str, attribution_id: str, **changes: Any) -> bool:
        """The attribution ended (device returned): remembered, so that its late events are
        ignored; its facts change only while they are still the current ones."""
        validated = DeviceFacts(device_id=device_id, known=True, **changes).model_dump(mode="json")
        if DeviceDocument.objects(device_id=device_id).first() is None:
            try:  # a return of a device never seen here: recorded, so that its late events are ignored
                DeviceDocument(device_id=device_id, facts=validated, updated_at=datetime.now(UTC)).save(
                    force_insert=True
                )
            except NotUniqueError:
                pass
        DeviceDocument.objects(device_id=device_id).update_one(add_to_set__ended=attribution_id)
        holder, stored = self._holder(device_id)
        if holder.attribution_id not in (None, attribution_id):
            return False  # already given to another attribution: its facts stay
        fields = {f"set__facts__{key}": validated[key] for key in ("device_id", "known", *changes)}
        return bool(
            DeviceDocument.objects(device_id=device_id, attribution_id=stored).update_one(
                set__attribution_id=attribution_id, **fields
            )
        )

    def schedule_device_wipe(self, device_id: str, due_at: datetime | None) -> None:
        DeviceDocument.objects(device_id=device_id).update_one(set__wipe_due_at=due_at)

    def wipe_returned_devices(self, now: datetime, limit: int = 500) -> int:
        """Returned devices past their wipe date keep only their id and return date: the
        ended attribution's facts (dossier, jurisdiction, the units competent for her home) go."""
        wiped = 0
        for doc in DeviceDocument.objects(wipe_due_at__lte=now).limit(limit):
            returned_at = DeviceFacts.model_validate(doc.facts).returned_at  # kept: a late activation is ignored
            facts = DeviceFacts(device_id=doc.device_id, known=True, returned_at=returned_at).model_dump(mode="json")
            wiped += DeviceDocument.objects(device_id=doc.device_id, wipe_due_at__lte=now).update_one(
                set__facts=facts, set__wipe_due_at=None, set__updated_at=now
            )
        return wiped

    # -- inbox --------------------------------------------------------------------
    def handled(self, key: str) -> bool:
        return InboxDocument.objects(key=key).first() is not None

    def mark_handled(self, key: str) -> None:
        try:
            InboxDocument(key=key, handled_at=datetime.now(UTC)).save(force_insert=True)
        except NotUniqueError:
            pass
