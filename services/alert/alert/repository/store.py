"""The alert service's database: the alert records (:mod:`alert.repository.records`), the device
read model, the inbox and the outbox relay's reads."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from mongoengine.errors import NotUniqueError

from alert.domain import Alert, DeviceFacts, attributions, escalation
from alert.domain.escalation import Policy
from alert.models import AlertDocument, DeviceDocument, InboxDocument
from alert.repository.records import DEADLINES, AlertRecords
from tgd_servicekit.claims import claim_due, release_claim
from tgd_servicekit.durations import Period
from tgd_servicekit.outbox import UNPUBLISHED, DocumentOutboxStore, lease_free

log = logging.getLogger(__name__)
#: a failsafe must not wait long behind an instance that died holding its claim
DEADLINE_CLAIM = timedelta(seconds=5)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class AlertRepository(AlertRecords, DocumentOutboxStore):
    """What the service's workers may do with the alert database."""

    outbox_document = AlertDocument
    outbox_owner = "alert_id"

    # -- alerts (the records: alert.records) --------------------------------------
    def due(self, now: datetime, limit: int = 100) -> list[str]:
        """Alerts whose deadline has passed, each claimed by this instance (never two at once);
        no query while none can be due (:data:`alert.repository.records.DEADLINES`)."""
        if not DEADLINES.scan_due(now):
            return []
        found = claim_due(AlertDocument, now, DEADLINE_CLAIM, limit)
        if len(found) < limit:  # else more are due: the next tick scans again
            DEADLINES.scanned(now)
        return found

    def release_due(self, key: str, now: datetime) -> None:
        """The claim :meth:`due` took at ``now``, given back when the handling stored nothing
        (the next tick scans again)."""
        release_claim(AlertDocument, key, now, DEADLINE_CLAIM)
        DEADLINES.note(now)

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
        """Apply an attribution's facts to the read model (see :mod:`alert.domain.attributions`):
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
            kept = DeviceFacts.model_validate(doc.facts)  # return or replacement kept: a late activation is ignored
            facts = DeviceFacts(
                device_id=doc.device_id, known=True, returned_at=kept.returned_at, replaced_at=kept.replaced_at
            ).model_dump(mode="json")
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

    # -- outbox ---------------------------------------------------------------------
    def pending_events(self, limit: int, now: datetime | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Unpublished entries, decrypted (the envelope is sealed at rest); with ``now``,
        only those whose lease is free (none a worker or instance is publishing now)."""
        docs = AlertDocument.objects(__raw__=UNPUBLISHED).only("alert_id", "outbox")
        for doc in docs.limit(limit):
            for entry in doc.outbox:
                if now is not None and not lease_free(entry, now):
                    continue
                if entry.published or entry.failed:
                    continue
                if entry.envelope.get("id") != entry.event_id:  # a blob copied from another entry
                    log.error(
                        "outbox entry %s of alert %s does not hold its own envelope", entry.event_id, doc.alert_id
                    )
                    continue
                yield doc.alert_id, {name: getattr(entry, name) for name in entry._fields}  # decrypted


class AlertStore:
    """The alert records as the aggregate store of :func:`tgd_servicekit.aggregate.change`:
    each write one targeted update (``$set``/``$push`` on what changed) carrying the next
    deadline and the outbox entries, written already leased to this instance, under the
    ``version`` guard (:meth:`alert.repository.records.AlertRecords.save`)."""

    def __init__(self, repo: AlertRepository, policy: Policy):
        self.repo = repo
        self.policy = policy
        #: start from the alert as this process last wrote it, when it kept it (no read)
        self.from_memory = True
        #: whether the last :meth:`load` gave that (a rule refusing it is asked again on a fresh read)
        self.loaded_from_memory = False
        self.wrote = False  # whether the last save after that load was stored

    def load(self, alert_id: str) -> tuple[Alert, int] | None:
        kept = self.repo.last_written(alert_id) if self.from_memory else None
        self.loaded_from_memory, self.wrote = kept is not None, False
        return kept or self.repo.get(alert_id)

    def save(self, alert_id: str, alert: Alert, version: int | None, messages: Sequence[Any]) -> bool:
        if version is None:  # alerts are raised by AlertOperations.trigger (insert), never started here
            raise ValueError(f"no stored alert {alert_id}")
        self.wrote = self.repo.save(alert, version, escalation.next_deadline(alert, self.policy), list(messages))
        return self.wrote

    def release(self, alert_id: str, event_id: str) -> None:
        self.repo.release(alert_id, event_id)

    def mark_published(self, alert_id: str, event_id: str) -> None:
        self.repo.mark_published(alert_id, event_id)

    def mark_published_many(self, alert_id: str, event_ids: Sequence[str]) -> None:
        self.repo.mark_published_many(alert_id, event_ids)
