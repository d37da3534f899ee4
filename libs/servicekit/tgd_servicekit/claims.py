"""Deadline scans safe with N instances of a service.

A timer that looks for due work (a failsafe, a reminder, an expiry) takes each due
document with one atomic update before acting on it: ``deadline_claim_until`` set only
where the deadline has passed and no live claim exists. Two instances scanning at the
same moment therefore never handle the same document together; an instance that dies
holding a claim delays that document by ``lease`` at most (its claim expires, another
instance takes it). The repository's save clears the claim with the new deadline, so the
next deadline is not held back by the claim of the last one.

This is the first guard, not the only one: the services' writes stay optimistic (a
``version`` compared on save), so a claim that expired during a very slow handling still
cannot make a deadline fire twice.

The document needs ``deadline_claim_until = DateTimeField()`` besides its deadline field
(:class:`tgd_servicekit.documents.ClaimableDeadline` declares both).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

CLAIM_FIELD = "deadline_claim_until"


def claim_due(
    document: Any, now: datetime, lease: timedelta, limit: int = 100, deadline: str = "next_deadline_at"
) -> list[Any]:
    """The primary keys of the documents whose ``deadline`` has passed, oldest first,
    each one claimed by this caller until ``now + lease`` (those another caller holds are
    left out)."""
    collection = document._get_collection()
    due = {document._fields[deadline].db_field: {"$lte": now}, CLAIM_FIELD: {"$not": {"$gt": now}}}
    ordered = collection.find(due, {"_id": 1}).sort(document._fields[deadline].db_field, 1).limit(limit)
    claimed = []
    for key in [found["_id"] for found in ordered]:
        if collection.update_one({"_id": key, **due}, {"$set": {CLAIM_FIELD: _until(now, lease)}}).modified_count:
            claimed.append(key)
    return claimed


def release_claim(document: Any, key: Any, now: datetime, lease: timedelta) -> None:
    """Give back the claim :func:`claim_due` took at ``now`` if it is still there: the
    handling stored nothing (no change, a conflict, an error), so the next scan retries
    at once instead of after the lease. A save has cleared it already; another
    instance's later claim is left alone."""
    document._get_collection().update_one({"_id": key, CLAIM_FIELD: _until(now, lease)}, {"$set": {CLAIM_FIELD: None}})


def _until(now: datetime, lease: timedelta) -> datetime:
    until = now + lease  # stored to the millisecond: truncated so that release_claim finds it
    return until.replace(microsecond=until.microsecond // 1000 * 1000)
