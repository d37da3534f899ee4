"""Alert documents <-> domain objects, in the layout of :mod:`alert.repository.record_layout`: her
personal part sealed as one blob, the rest plain; every change a targeted update
(``$set``/``$push`` on what changed, the outbox entries pushed in the same update, a
``version`` guard against a concurrent writer). Documents of the earlier layout (the
whole record sealed leaf by leaf) are still read, and rewritten in this layout by their
next change or by :mod:`alert.repository.migration`.

Reads and writes go to the collection directly (pymongo): mongoengine's validation of
the whole document on every load and save was a third of the alert path's cost.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import Any

from pymongo.errors import DuplicateKeyError

from alert.domain import Alert, retention
from alert.models import AlertDocument, AlertOutboxEntry
from alert.repository import record_layout as layout
from tgd_contracts.envelope import Envelope
from tgd_servicekit import crypto
from tgd_servicekit.due_times import DueTimes
from tgd_servicekit.outbox import writer_lease

Outbox = list[tuple[Envelope, str | None]]
#: the deadlines this process wrote: the deadline timer scans only when one has passed (or
#: every 5 s, for those another instance left behind: as long as its expired claim)
DEADLINES = DueTimes(full_scan=timedelta(seconds=5))
_HOT = {"outbox": 0, "summary": 0, "codes": 0}  # what a change never needs to read


def outbox_entry(envelope: Envelope, routing_key: str | None) -> AlertOutboxEntry:
    return AlertOutboxEntry(
        event_id=envelope.id,
        envelope=envelope.model_dump(mode="json"),
        routing_key=routing_key,
        **writer_lease(),  # this instance publishes it at once (tgd_servicekit.outbox)
    )


#: the associated data of an entry's sealed envelope (its field's, so that mongoengine opens it)
ENVELOPE_CONTEXT = AlertOutboxEntry._fields["envelope"]._context()


def raw_entries(outbox: Outbox) -> list[dict[str, Any]]:
    """The entries as stored, each envelope one sealed blob: what :func:`outbox_entry`
    would store, built directly (mongoengine's document walked the plaintext envelope
    leaf by leaf before sealing it: a third of a millisecond per message)."""
    ring = crypto.current()
    return [
        {
            "event_id": envelope.id,
            "envelope": crypto.seal_json(ring, envelope.model_dump(mode="json"), ENVELOPE_CONTEXT),
            "routing_key": routing_key,
            "published": False,
            "failed": False,
            "attempts": 0,
            **writer_lease(),  # this instance publishes it at once (tgd_servicekit.outbox)
        }
        for envelope, routing_key in outbox
    ]


def raised_by(alert: Alert) -> str | None:
    """The unique key of the press that raised an open alert (None once it is closed)."""
    return f"{alert.device.device_id} {alert.presses[0].press_id}" if alert.is_open and alert.presses else None


def _aware(value: Any) -> Any:
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value


def stored(alert: Alert, record: dict[str, Any], deadline: datetime | None) -> dict[str, Any]:
    return layout.stored(
        record,
        device_id=alert.device.device_id,
        state=alert.state.value,
        open=alert.is_open,
        next_deadline_at=deadline,
        positions_purge_at=retention.next_purge_at(alert),
        basis_ended_at=retention.basis_ended_at(alert),
        press_ids=[] if alert.anonymised_at else [p.press_id for p in alert.presses],
        raised_by=raised_by(alert),
    )


def record_of(raw: dict[str, Any]) -> dict[str, Any]:
    """The record's JSON form from a stored document (either layout)."""
    if raw.get("layout") == layout.LAYOUT:
        personal = crypto.open_json(crypto.current(), raw["sealed"], layout.context(raw["_id"]))
        return layout.join(personal, raw["plain"])
    return AlertDocument._from_son(raw).record  # the earlier layout, sealed leaf by leaf


class _Loaded:
    """What was read or written at a version (bounded, per process, oldest dropped first)."""

    def __init__(self, size: int = 512):
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = Lock()

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def pop(self, key: Any) -> Any:
        with self.lock:
            return self.items.pop(key, None)


class AlertRecords:
    """The alert records part of :class:`alert.repository.AlertRepository`."""

    #: (alert id, version) -> (stored fields, record): what the next save diffs against
    loaded = _Loaded()
    #: alert id -> (the alert as this process last wrote it, its version): the next change
    #: of that alert starts from it instead of reading it back (the version guard still
    #: refuses the write if another instance changed it meanwhile)
    written = _Loaded()

    @staticmethod
    def collection() -> Any:
        return AlertDocument._get_collection()

    def insert(self, alert: Alert, deadline: datetime | None, outbox: Outbox) -> str | None:
        """Store a new alert and its outgoing messages in one write. None once stored; the
        id of the open alert the same press already raised when it did (nothing stored)."""
        record = alert.model_dump(mode="json")
        fields = stored(alert, record, deadline)
        personal = fields.pop("personal")
        doc = {"_id": alert.alert_id, "raised_at": alert.raised_at, "version": 1, "outbox": raw_entries(outbox)}
        doc.update({k: v for k, v in fields.items() if v is not None or k not in layout.ABSENT_WHEN_NONE})
        doc["sealed"] = crypto.seal_json(crypto.current(), personal, layout.context(alert.alert_id))
        try:
            self.collection().insert_one(doc)
        except DuplicateKeyError:
            key = fields["raised_by"]
            first = self.collection().find_one({"raised_by": key}, {"_id": 1}) if key else None
            if first is None:
                raise
            return first["_id"]
        self._keep(alert, 1, {**fields, "personal": personal}, record)
        DEADLINES.note(deadline)
        return None

    def _keep(self, alert: Alert, version: int, fields: dict[str, Any], record: dict[str, Any]) -> None:
        self.loaded.put((alert.alert_id, version), (fields, record))
        self.written.put(alert.alert_id, (alert, version))

    def last_written(self, alert_id: str) -> tuple[Alert, int] | None:
        """The alert as this process last wrote it, taken out (a change mutates it in place);
        None when it was not kept (or another change took it)."""
        return self.written.pop(alert_id)

    def _load(self, raw: dict[str, Any] | None, keep: bool = True) -> tuple[Alert, int] | None:
        if raw is None:
            return None
        record = record_of(raw)
        if keep and raw.get("layout") == layout.LAYOUT:
            self.loaded.put((raw["_id"], raw["version"]), (raw, record))
        return Alert.model_validate(record), raw["version"]

    def get(self, alert_id: str) -> tuple[Alert, int] | None:
        return self._load(self.collection().find_one({"_id": alert_id}, _HOT))

    def save(self, alert: Alert, version: int, deadline: datetime | None, outbox: Outbox) -> bool:
        """Write what changed and the new messages if nobody changed it since ``version``."""
        dumped = alert.model_dump(mode="json")
        new = stored(alert, dumped, deadline)
        before = self.loaded.pop((alert.alert_id, version))
        old = None
        if before is not None:
            raw, record = before
            old = {key: _aware(raw.get(key)) for key in new}
            old.update(layout.stored(record), personal=layout.split(record)[0])
        update = layout.changes(old, new)
        if old is not None and not outbox and layout.unchanged(update) and old["personal"] == new["personal"]:
            self._keep(alert, version, new, dumped)  # nothing to write (e.g. an acknowledgement received twice)
            return True
        if old is None or old["personal"] != new["personal"]:
            update["$set"]["sealed"] = crypto.seal_json(
                crypto.current(), new["personal"], layout.context(alert.alert_id)
            )
        if outbox:
            update["$push"]["outbox"] = {"$each": raw_entries(outbox)}
        update["$set"]["version"] = version + 1
        if any("next_deadline_at" in update.get(op, {}) for op in ("$set", "$unset")):
            update["$set"]["deadline_claim_until"] = None  # the deadline moved: its claim ends
        done = self.collection().update_one({"_id": alert.alert_id, "version": version}, layout.operators(update))
        if done.modified_count != 1:
            return False
        self._keep(alert, version + 1, new, dumped)
        DEADLINES.note(deadline)
        return True

    def open_alert_for(self, device_id: str) -> tuple[Alert, int] | None:
        """The device's newest open alert: one read on the ``(device_id, open, -raised_at)``
        index (no pointer document to keep beside the alert: no second write on raise and close)."""
        query = {"device_id": device_id, "open": True}
        found = self._load(self.collection().find_one(query, _HOT, sort=[("raised_at", -1)]))
        return found if found and found[0].is_open else None

    def evidence_of(self, alert_id: str) -> tuple[Alert, list[dict[str, Any]]] | None:
        """The alert and the envelopes of its messages still retained (published or not)."""
        raw = self.collection().find_one({"_id": alert_id})
        found = self._load(raw, keep=False)
        if found is None:
            return None
        return found[0], [dict(entry.envelope) for entry in AlertDocument._from_son(raw).outbox]

    def _alerts(self, query: dict[str, Any], limit: int = 0, sort: str = "raised_at") -> list[Alert]:
        found = self.collection().find(query, {"outbox": 0}).sort(sort, 1).limit(limit)
        return [self._load(raw, keep=False)[0] for raw in found]  # type: ignore[index]

    def alert_ids_of_device(self, device_id: str, attribution_id: str | None, limit: int = 1000) -> list[str]:
        """Alerts raised from a device, oldest first; with ``attribution_id``, only those
        raised while it was assigned to that attribution (a device is reassigned after return)."""
        alerts = self._alerts({"device_id": device_id}, limit)
        return [a.alert_id for a in alerts if attribution_id is None or a.device.attribution_id == attribution_id]

    def open_summaries(self, limit: int = 200) -> list[dict[str, Any]]:
        """The open-alerts list's lines, read from the plain summaries (nothing decrypted;
        a document of the earlier layout is decrypted to make its line)."""
        found = self.collection().find({"open": True}, {"summary": 1}).sort("raised_at", 1).limit(limit)
        lines = []
        for raw in found:
            if not raw.get("summary"):
                raw = self.collection().find_one({"_id": raw["_id"]}, {"outbox": 0}) or raw
            lines.append(raw.get("summary") or layout.summary(record_of(raw)))
        return lines

    def raised_between(self, start: datetime, end: datetime) -> list[Alert]:
        """Alerts raised in ``[start, end)`` (for the observatory's aggregates)."""
        return self._alerts({"raised_at": {"$gte": start, "$lt": end}})
