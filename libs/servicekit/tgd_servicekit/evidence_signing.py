"""Building, signing and verifying evidence archives (the format and its models:
:mod:`tgd_contracts.evidence`, docs/evidence.md).

- each part is hashed with SHA-256 over its canonical JSON (:func:`canonical`: keys
  sorted, no spaces, UTF-8; RFC 8785 for the values we emit);
- the manifest (which lists every part with its hash and names the signing key, its id
  and public key) is signed with Ed25519 over its canonical JSON;
- :func:`verify` refuses, with the reason, a changed part, a missing or added part, a
  changed manifest, a wrong signature and a key that is not trusted;
  :func:`verify_signature` is shared with hand-over archives
  (:mod:`tgd_servicekit.handover_signing`).

Pure: no I/O, no environment; keys are passed in (see :mod:`tgd_servicekit.evidence_keys`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import ValidationError

from tgd_contracts.evidence import (
    ALGORITHM,
    FORMAT,
    VERSION,
    EvidenceArchive,
    EvidenceManifest,
    EvidencePart,
    Exporter,
    PartEntry,
    Purpose,
    SigningKeyInfo,
    Subject,
    part_name,
    related_ids,
)


# -- keys ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private: Ed25519PrivateKey

    @classmethod
    def from_seed(cls, key_id: str, seed: bytes) -> SigningKey:
        return cls(key_id, Ed25519PrivateKey.from_private_bytes(seed))

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode()


TrustedKeys = Mapping[str, bytes]  # key id -> raw 32-byte public key


class EvidenceError(ValueError):
    """An archive that must not be trusted; ``reason`` is one of the REASONS."""

    def __init__(self, reason: str, message: str):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


MALFORMED = "malformed"
PART_TAMPERED = "part_tampered"
PARTS_MISMATCH = "parts_mismatch"
UNKNOWN_KEY = "unknown_key"
BAD_SIGNATURE = "bad_signature"
REASONS = (MALFORMED, PART_TAMPERED, PARTS_MISMATCH, UNKNOWN_KEY, BAD_SIGNATURE)


# -- building -------------------------------------------------------------------------
def canonical(value: Any) -> bytes:
    """The bytes that are hashed and signed: sorted keys, no insignificant space, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def sha256(value: Any) -> tuple[str, int]:
    raw = canonical(value)
    return hashlib.sha256(raw).hexdigest(), len(raw)


def build(
    subject: Subject,
    jurisdiction: str,
    parts: list[EvidencePart],
    key: SigningKey,
    exported_by: Exporter,
    now: datetime,
    purpose: Purpose = Purpose.EVIDENCE,
    archive_id: str | None = None,
) -> dict[str, Any]:
    """A signed archive (its JSON form) of ``parts`` about ``subject``."""
    wire = {part_name(p): p.to_wire() for p in parts}
    if len(wire) != len(parts):
        raise ValueError("one part per service (and per alert)")
    entries = []
    for name, body in wire.items():
        digest, size = sha256(body)
        entries.append(PartEntry(name=name, service=body["service"], sha256=digest, size=size))
    trace_ids = sorted({t for p in parts for t in p.trace_ids})
    manifest = EvidenceManifest(
        format=FORMAT,
        version=VERSION,
        archive_id=archive_id or uuid.uuid4().hex,
        purpose=purpose,
        subject=subject,
        jurisdiction=jurisdiction,
        created_at=now,
        exported_by=exported_by,
        trace_ids=trace_ids,
        related_ids=related_ids(parts),
        parts=entries,
        key=SigningKeyInfo(algorithm=ALGORITHM, key_id=key.key_id, public_key=key.public_b64),
    ).to_wire()
    value = base64.b64encode(key.private.sign(canonical(manifest))).decode()
    return {
        "format": FORMAT,
        "version": VERSION,
        "manifest": manifest,
        "parts": wire,
        "signature": {"algorithm": ALGORITHM, "key_id": key.key_id, "value": value},
    }


# -- verifying --------------------------------------------------------------------------
def _b64decode(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceError(MALFORMED, f"{what} is not valid base64") from None


def verify_signature(manifest: dict[str, Any], signature: dict[str, Any], trusted: TrustedKeys) -> None:
    """The manifest is signed by the key it names, and that key is trusted (or
    :class:`EvidenceError`). Shared by evidence and hand-over archives."""
    key_info = manifest.get("key") if isinstance(manifest.get("key"), dict) else {}
    key_id = signature.get("key_id")
    if key_info.get("key_id") != key_id:
        raise EvidenceError(BAD_SIGNATURE, "the signature's key id is not the manifest's")
    known = trusted.get(key_id) if isinstance(key_id, str) else None
    if known is None:
        raise EvidenceError(UNKNOWN_KEY, f"key {key_id!r} is not among the trusted keys")
    if _b64decode(str(key_info.get("public_key", "")), "the manifest's public key") != known:
        raise EvidenceError(UNKNOWN_KEY, f"the public key named {key_id!r} in the manifest is not the trusted one")
    if signature.get("algorithm") != ALGORITHM:
        raise EvidenceError(BAD_SIGNATURE, f"algorithm {signature.get('algorithm')!r} is not {ALGORITHM}")
    try:
        Ed25519PublicKey.from_public_bytes(known).verify(
            _b64decode(str(signature.get("value", "")), "the signature"), canonical(manifest)
        )
    except InvalidSignature:
        raise EvidenceError(BAD_SIGNATURE, "the signature does not match the manifest (changed or not ours)") from None
    except ValueError as exc:
        raise EvidenceError(MALFORMED, f"unreadable key or manifest ({exc})") from None


def verify(archive: Any, trusted: TrustedKeys) -> EvidenceArchive:
    """The archive, typed, when it is intact and signed by a trusted key; otherwise
    :class:`EvidenceError` naming the first problem found. The signature is checked
    before the parts, so a changed manifest is reported as such."""
    if not isinstance(archive, dict) or archive.get("format") != FORMAT:
        raise EvidenceError(MALFORMED, f"not a {FORMAT} archive")
    if archive.get("version") != VERSION:
        raise EvidenceError(MALFORMED, f"unsupported version {archive.get('version')!r} (this reader knows {VERSION})")
    manifest, parts, signature = archive.get("manifest"), archive.get("parts"), archive.get("signature")
    if not isinstance(manifest, dict) or not isinstance(parts, dict) or not isinstance(signature, dict):
        raise EvidenceError(MALFORMED, "manifest, parts and signature are required objects")
    verify_signature(manifest, signature, trusted)
    entries = manifest.get("parts") if isinstance(manifest.get("parts"), list) else []
    listed = {e.get("name"): e for e in entries if isinstance(e, dict)}
    if set(listed) != set(parts):
        missing, extra = sorted(set(listed) - set(parts)), sorted(set(parts) - set(listed))
        raise EvidenceError(PARTS_MISMATCH, f"parts missing {missing} / not in the manifest {extra}")
    for name, entry in listed.items():
        try:
            digest, size = sha256(parts[name])
        except ValueError:  # NaN or Infinity: not JSON as we write it
            raise EvidenceError(PART_TAMPERED, f"part {name!r} holds a value no export writes") from None
        if digest != entry.get("sha256") or size != entry.get("size"):
            raise EvidenceError(PART_TAMPERED, f"part {name!r} does not match its SHA-256 in the manifest")
    try:
        typed = EvidenceArchive.consume(archive)
    except ValidationError as exc:
        raise EvidenceError(MALFORMED, f"signed but not a valid archive: {exc.error_count()} error(s)") from None
    return typed


@dataclass(frozen=True)
class Summary:
    """What an import restores, in short (ids and counts: no personal data)."""

    archive_id: str
    subject_kind: str
    subject_id: str
    jurisdiction: str
    created_at: datetime
    key_id: str
    trace_ids: tuple[str, ...]
    parts: tuple[tuple[str, int, int], ...]  # (name, records, events)


def summarise(archive: EvidenceArchive) -> Summary:
    m = archive.manifest
    return Summary(
        archive_id=m.archive_id,
        subject_kind=m.subject.kind.value,
        subject_id=m.subject.id,
        jurisdiction=m.jurisdiction,
        created_at=m.created_at,
        key_id=m.key.key_id,
        trace_ids=tuple(m.trace_ids),
        parts=tuple((name, len(p.records), len(p.events)) for name, p in sorted(archive.parts.items())),
    )


def restore(archive: Any, trusted: TrustedKeys) -> dict[str, dict[str, Any]]:
    """Import: verify, then the files another store keeps (name -> JSON): the manifest,
    the signature and each part, byte-for-byte re-verifiable from what is kept."""
    typed = verify(archive, trusted)
    files = {"manifest.json": archive["manifest"], "signature.json": archive["signature"]}
    files.update({f"parts/{name}.json": archive["parts"][name] for name in typed.parts})
    return files
