"""Referral rules (signalement), pure: no nameko, no database.

- a referral names a known jurisdiction (ressort du tribunal judiciaire);
- a client's idempotency key makes a submission safe to retry: the same key with
  the same body returns the stored referral, with another body it is refused;
- urgent referrals are what the on-call prosecutor (permanence du parquet) lists.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from referral.exceptions import IdempotencyKeyReused, InvalidRequest, UnknownJurisdiction
from tgd_contracts.events import EventName
from tgd_contracts.jurisdictions import is_known_jurisdiction
from tgd_contracts.referral import (
    ReferralReceived,
    ReferralStatus,
    ReferralSubmission,
    ReferralView,
    Urgency,
)

IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")


def check_idempotency_key(key: object) -> str:
    if not isinstance(key, str) or not IDEMPOTENCY_KEY_RE.match(key):
        raise InvalidRequest("Idempotency-Key must be 8 to 128 characters of letters, digits and _ . : -")
    return key


def check_jurisdiction(code: str) -> str:
    if not is_known_jurisdiction(code):
        raise UnknownJurisdiction(f"Unknown jurisdiction {code!r}.")
    return code


#: fields added after 1.0, left out of the digest when absent: a retry of a 1.0 body keeps its fingerprint
LATER_FIELDS = ("safe_contact", "referrer_contact")


def fingerprint(submission: ReferralSubmission) -> str:
    """A stable digest of the submitted body, to tell a retry from a key reuse."""
    wire = submission.to_wire()
    body = {k: v for k, v in wire.items() if not (k in LATER_FIELDS and v is None)}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class Submission(Enum):
    NEW = "new"
    REPLAY = "replay"


def classify_submission(stored_fingerprint: str | None, new_fingerprint: str) -> Submission:
    """NEW when the key is unused, REPLAY when reused with the same body; else refuse."""
    if stored_fingerprint is None:
        return Submission.NEW
    if stored_fingerprint == new_fingerprint:
        return Submission.REPLAY
    raise IdempotencyKeyReused()


def new_referral_id() -> str:
    return uuid.uuid4().hex


def to_millisecond(moment: datetime) -> datetime:
    """Timestamps are stored to the millisecond (BSON dates): cut them so now."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def receive(submission: ReferralSubmission, *, now: datetime, referral_id: str) -> ReferralView:
    """Record a referral as received (signalement reçu)."""
    check_jurisdiction(submission.jurisdiction)
    return ReferralView(
        id=referral_id,
        status=ReferralStatus.RECEIVED,
        received_at=to_millisecond(now),
        referrer=submission.referrer,
        victim=submission.victim,
        facts=submission.facts,
        urgency=submission.urgency,
        jurisdiction=submission.jurisdiction,
        safe_contact=submission.safe_contact,
        referrer_contact=submission.referrer_contact,
    )


def received_event(referral: ReferralView) -> ReferralReceived:
    """The event other services learn of: ids and routing facts, no identity."""
    return ReferralReceived(
        referral_id=referral.id,
        jurisdiction=referral.jurisdiction,
        urgency=referral.urgency,
        referrer_kind=referral.referrer.kind,
        received_at=referral.received_at,
    )


@dataclass(frozen=True)
class ListFilter:
    jurisdiction: str
    urgency: Urgency | None
    limit: int
    offset: int


def list_filter(jurisdiction: str, urgent: bool | None, limit: int, offset: int) -> ListFilter:
    check_jurisdiction(jurisdiction)
    if urgent is None:
        urgency = None
    else:
        urgency = Urgency.URGENT if urgent else Urgency.STANDARD
    return ListFilter(jurisdiction=jurisdiction, urgency=urgency, limit=limit, offset=offset)


@dataclass(frozen=True)
class Submitted:
    """What an idempotency key holds: the referral stored under it and the fingerprint
    of its body (both None before the first submission)."""

    referral: ReferralView | None = None
    fingerprint: str | None = None


def submit(
    held: Submitted, submission: ReferralSubmission, new_fingerprint: str, now: datetime, referral_id: str
) -> tuple[Submitted, list[tuple[EventName, ReferralReceived]]]:
    """The first submission under a key records the referral (``referral_received``);
    a retry with the same body changes nothing; another body is refused."""
    if held.referral is not None:
        classify_submission(held.fingerprint, new_fingerprint)
        return held, []
    referral = receive(submission, now=now, referral_id=referral_id)
    return Submitted(referral, new_fingerprint), [(EventName.REFERRAL_RECEIVED, received_event(referral))]


#: who reads a submitted referral in full (the referent association, the prosecutor's office);
#: any other sender (a professional's organisation, a police or gendarmerie unit) gets a receipt
RECORD_READERS = frozenset({"association", "prosecutor"})
RECEIPT_FIELDS = ("id", "status", "received_at", "urgency", "jurisdiction")


def view_for(referral: dict[str, Any], role: str) -> dict[str, Any]:
    """What a caller of ``role`` gets back of a referral it submitted: the record
    (``view: record``), or a receipt with its routing facts and no identity
    (``view: receipt``: the sender already knows whom it referred)."""
    if role in RECORD_READERS:
        return {**referral, "view": "record"}
    referrer = referral.get("referrer")
    kind = referrer.get("kind") if isinstance(referrer, dict) else None
    return {**{k: referral.get(k) for k in RECEIPT_FIELDS}, "referrer_kind": kind, "view": "receipt"}
