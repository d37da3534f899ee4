"""Alert documents <-> domain objects, the device read model and the inbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from mongoengine.errors import NotUniqueError

from alert.domain import POSITION_RETENTION, Alert, DeviceFacts
from alert.models import AlertDocument, AlertOutboxEntry, DeviceDocument, InboxDocument, OpenIncidentDocument
from tgd_contracts.envelope import Envelope


def outbox_entry(envelope: Envelope, routing_key: str | None) -> AlertOutboxEntry:
    return AlertOutboxEntry(
        event_id=envelope.id,
        envelope=envelope.model_dump(mode="json"),
        routing_key=routing_key,
        created_at=datetime.now(UTC),
    )


def _fields(alert: Alert, deadline: datetime | None) -> dict[str, Any]:
    purge_at = alert.closed_at + POSITION_RETENTION if alert.closed_at and alert.positions else None
    return {
        "positions_purge_at": purge_at,
        "state": alert.state.value,
        "open": alert.is_open,
        "next_deadline_at": deadline,
        "press_ids": [p.press_id for p in alert.presses],
        "record": alert.model_dump(mode="json"),
    }


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_alert(doc: AlertDocument) -> Alert:
    return Alert.model_validate(doc.record)


Outbox = list[tuple[Envelope, str | None]]


class AlertRepository:
    """What the service's workers may do with the alert database."""

    # -- alerts -----------------------------------------------------------------
    def insert(self, alert: Alert, deadline: datetime | None, outbox: Outbox) -> None:
        """Store a new alert and its outgoing messages in one write."""
        AlertDocument(
            alert_id=alert.alert_id,
            device_id=alert.device.device_id,
            raised_at=alert.raised_at,
            version=1,
            outbox=[outbox_entry(e, rk) for e, rk in outbox],
            **_fields(alert, deadline),
        ).save(force_insert=True)
        OpenIncidentDocument.objects(device_id=alert.device.device_id).upsert_one(set__alert_id=alert.alert_id)

    def get(self, alert_id: str) -> tuple[Alert, int] | None:
        doc = AlertDocument.objects(alert_id=alert_id).exclude("outbox").first()
        return (to_alert(doc), doc.version) if doc else None

    def save(self, alert: Alert, version: int, deadline: datetime | None, outbox: Outbox) -> bool:
        """Write the new record and its messages if nobody changed it since ``version``."""
        updates = {f"set__{k}": v for k, v in _fields(alert, deadline).items()}
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
        found = AlertDocument.objects(next_deadline_at__lte=now).only("alert_id").limit(limit)
        return [doc.alert_id for doc in found]

    def positions_to_purge(self, now: datetime, limit: int = 100) -> list[str]:
        found = AlertDocument.objects(positions_purge_at__lte=now).only("alert_id").limit(limit)
        return [doc.alert_id for doc in found]

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

    # -- inbox --------------------------------------------------------------------
    def handled(self, key: str) -> bool:
        return InboxDocument.objects(key=key).first() is not None

    def mark_handled(self, key: str) -> None:
        try:
            InboxDocument(key=key, handled_at=datetime.now(UTC)).save(force_insert=True)
        except NotUniqueError:
            pass

    # -- outbox ---------------------------------------------------------------------
    def pending_events(self, limit: int, older_than: datetime | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Unpublished entries; ``older_than`` leaves alone those a worker is publishing now."""
        docs = AlertDocument.objects(outbox__match={"published": False, "failed": False}).only("alert_id", "outbox")
        for doc in docs.limit(limit):
            for entry in doc.outbox:
                if older_than is not None and _aware(entry.created_at) > older_than:
                    continue
                if not entry.published and not entry.failed:
                    yield doc.alert_id, {name: getattr(entry, name) for name in entry._fields}  # decrypted

    def mark_published(self, owner_id: str, event_id: str) -> None:
        AlertDocument.objects(alert_id=owner_id, outbox__event_id=event_id).update_one(set__outbox__S__published=True)

    def mark_attempt_failed(self, owner_id: str, event_id: str, error: str, give_up: bool) -> None:
        AlertDocument.objects(alert_id=owner_id, outbox__event_id=event_id).update_one(
            inc__outbox__S__attempts=1, set__outbox__S__last_error=error, set__outbox__S__failed=give_up
        )
