"""Alert documents of the earlier layout (the whole record sealed leaf by leaf) rewritten
in the layout of :mod:`alert.repository.record_layout`, and blobs sealed by an old key resealed
under the active one (key rotation: ``tgd keys rotate``).

Each document is converted by one conditional update (its ``version`` unchanged since it
was read, bumped by the update; its outbox unchanged when the envelopes are rewritten):
a worker or the relay changing it meanwhile wins, and the document is
taken again in the next batch. Converted documents are skipped, so a run may be
interrupted and run again (resumable, idempotent); ``tgd alert migrate-records`` calls
it batch after batch until nothing is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alert.domain import Alert
from alert.models import AlertDocument, AlertOutboxEntry
from alert.repository import record_layout as layout
from alert.repository.records import record_of, stored
from tgd_servicekit import crypto

ENVELOPE_CONTEXT = "AlertOutboxEntry.envelope"


@dataclass
class MigrationRun:
    converted: int = 0
    resealed: int = 0
    conflicts: int = 0  # changed meanwhile by a worker: taken again by the next batch
    remaining: int = 0
    last: str | None = None  # the last id looked at: the next batch starts after it
    failed: list[str] = field(default_factory=list)  # ids that could not be opened (key missing?)

    def to_wire(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("converted", "resealed", "conflicts", "remaining", "last", "failed")}


def _stale(token: Any, active: str) -> bool:
    return crypto.is_sealed(token) and crypto.key_id_of(token) != active


def _outbox(entries: list[dict[str, Any]], ring: crypto.KeyRing) -> list[dict[str, Any]] | None:
    """The outbox entries with each envelope one blob under the active key (None: nothing to do)."""
    changed = False
    fresh = []
    for entry in entries:
        envelope = entry.get("envelope")
        if isinstance(envelope, dict) or _stale(envelope, ring.active_key_id):
            opened = AlertOutboxEntry._fields["envelope"].to_python(envelope)  # either layout
            entry = {**entry, "envelope": crypto.seal_json(ring, opened, ENVELOPE_CONTEXT)}
            changed = True
        fresh.append(entry)
    return fresh if changed else None


def _convert(raw: dict[str, Any], ring: crypto.KeyRing) -> dict[str, Any] | None:
    """The ``$set``/``$unset`` converting one document (None: already converted, current key)."""
    update: dict[str, dict[str, Any]] = {"$set": {}, "$unset": {}}
    if raw.get("layout") != layout.LAYOUT:
        record = record_of(raw)
        alert = Alert.model_validate(record)
        new = stored(alert, record, raw.get("next_deadline_at"))
        personal = new.pop("personal")
        for key in ("layout", "plain", "summary", "codes"):
            update["$set"][key] = new[key]
        update["$set"]["sealed"] = crypto.seal_json(ring, personal, layout.context(raw["_id"]))
        update["$unset"]["record"] = True
    elif _stale(raw.get("sealed"), ring.active_key_id):
        update["$set"]["sealed"] = crypto.reseal(ring, raw["sealed"], layout.context(raw["_id"]))
    outbox = _outbox(raw.get("outbox") or [], ring)
    if outbox is not None:
        update["$set"]["outbox"] = outbox
    return layout.operators(update) or None


def pending_query(active_key_id: str) -> dict[str, Any]:
    """Documents still to convert or to reseal (a key id is the token's third part)."""
    current = f"^{crypto.PREFIX}{active_key_id}:"
    return {
        "$or": [
            {"layout": {"$ne": layout.LAYOUT}},
            {"sealed": {"$not": {"$regex": current}}},
            {"outbox.envelope": {"$type": "object"}},
            {"outbox.envelope": {"$regex": f"^{crypto.PREFIX}", "$not": {"$regex": current}}},
        ]
    }


def migrate(batch: int = 200, after: str | None = None) -> MigrationRun:
    """Convert or reseal up to ``batch`` documents, in id order after ``after``;
    ``remaining``: how many are left in all (those that failed included)."""
    ring = crypto.current()
    collection = AlertDocument._get_collection()
    query = pending_query(ring.active_key_id)
    run = MigrationRun()
    page = {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query
    for raw in collection.find(page).sort("_id", 1).limit(batch):
        run.last = raw["_id"]
        try:
            update = _convert(raw, ring)
        except crypto.DecryptionError:
            run.failed.append(raw["_id"])
            continue
        if update is None:
            continue
        converting = raw.get("layout") != layout.LAYOUT
        update.setdefault("$set", {})["version"] = raw["version"] + 1
        guard = {"_id": raw["_id"], "version": raw["version"]}
        if "outbox" in update.get("$set", {}):  # the relay marks entries without a new version
            guard["outbox"] = raw.get("outbox") or []
        done = collection.update_one(guard, update)
        if done.modified_count != 1:
            run.conflicts += 1
        elif converting:
            run.converted += 1
        else:
            run.resealed += 1
    run.remaining = collection.count_documents(query)
    return run


def migrate_all(batch: int = 200) -> MigrationRun:
    """Every document, batch after batch (what ``rotate_field_keys`` does in one call)."""
    total, after = MigrationRun(), None
    while True:
        run = migrate(batch, after)
        total.converted += run.converted
        total.resealed += run.resealed
        total.conflicts += run.conflicts
        total.failed += run.failed
        total.remaining = run.remaining
        if run.last is None:
            return total
        after = total.last = run.last
