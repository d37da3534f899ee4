"""The access log's integrity, as pure functions (no I/O), shared by the gateway and
``tgd audit verify``:

- each entry carries ``hash`` = SHA-256 over its fields and the previous entry's hash
  (a chain: a modified, inserted, removed or reordered entry breaks it);
- each entry carries ``mac`` = HMAC-SHA256(key, hash), with a key only the writer (the
  gateway) holds: whoever can write the file cannot re-chain it after an edit;
- the head (last ``seq`` and ``hash``, MACed) is anchored outside the log (another file,
  on another volume): a log cut short of the anchored head is detected.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FIELDS = ("seq", "at", "client_id", "role", "action", "object_id", "jurisdiction", "status", "reason", "request_id")


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: entry.get(k) for k in (*FIELDS, "prev")}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def entry_mac(key: bytes, entry_hash_: str) -> str:
    return mac(key, f"entry:{entry_hash_}")


def head_mac(key: bytes, seq: int, hash_: str) -> str:
    return mac(key, f"head:{seq}:{hash_}")


def make_head(key: bytes, entry: dict[str, Any]) -> dict[str, Any]:
    seq, hash_ = entry["seq"], entry["hash"]
    return {"seq": seq, "hash": hash_, "at": entry["at"], "mac": head_mac(key, seq, hash_)}


@dataclass(frozen=True)
class Finding:
    """Where the log stops being trustworthy (None: intact) and why."""

    first_broken_seq: int | None
    problem: str | None = None
    entries: int = 0

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


def _same(given: Any, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given, expected)


def check_log(
    entries: Iterable[dict[str, Any]], key: bytes | None = None, head: dict[str, Any] | None = None
) -> Finding:
    """Verify the chain; with ``key``, every entry's MAC and the anchored ``head`` (a
    missing head with entries, a bad head MAC, or a log shorter than the head: broken)."""
    prev, expected_seq, hashes = GENESIS, 0, {}
    for entry in entries:
        if entry.get("seq") != expected_seq:
            return Finding(expected_seq, "a sequence number is missing, repeated or out of order", expected_seq)
        if entry.get("prev") != prev or entry_hash(entry) != entry.get("hash"):
            return Finding(expected_seq, "an entry was modified, inserted or removed", expected_seq)
        if key is not None and not _same(entry.get("mac"), entry_mac(key, entry["hash"])):
            return Finding(expected_seq, "an entry's MAC is wrong (not written with the log's key)", expected_seq)
        hashes[expected_seq] = entry["hash"]
        prev, expected_seq = entry["hash"], expected_seq + 1
    if key is None:
        return Finding(None, None, expected_seq)
    if head is None:
        return Finding(0 if expected_seq else None, "no anchored head" if expected_seq else None, expected_seq)
    seq, hash_ = head.get("seq"), head.get("hash")
    if not isinstance(seq, int) or not isinstance(hash_, str) or not _same(head.get("mac"), head_mac(key, seq, hash_)):
        return Finding(0, "the anchored head's MAC is wrong", expected_seq)
    if seq >= expected_seq:
        return Finding(expected_seq, f"the log ends before the anchored head (seq {seq}): truncated", expected_seq)
    if hashes.get(seq) != hash_:
        return Finding(seq, "the entry at the anchored head differs from the head", expected_seq)
    return Finding(None, None, expected_seq)


def verify_chain(entries: Iterable[dict[str, Any]]) -> int | None:
    """The ``seq`` of the first entry that breaks the hash chain, or None (no key: chain only)."""
    return check_log(entries).first_broken_seq
