"""Building, sealing, signing, verifying and opening hand-over archives (reprise par un
autre opérateur; the format and its models: :mod:`tgd_contracts.handover`, docs/handover.md).

The content is sealed for the receiving operator (:mod:`tgd_contracts.sealing`); the
manifest is signed like an evidence archive's
(:func:`tgd_servicekit.evidence_signing.verify_signature`), so the importer checks origin
and integrity BEFORE decrypting anything. Pure: keys are passed in.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from pydantic import ValidationError

from tgd_contracts import evidence as ev
from tgd_contracts import sealing
from tgd_contracts.handover import (
    FORMAT,
    VERSION,
    HandoverArchive,
    HandoverContent,
    HandoverCounts,
    HandoverManifest,
    HandoverRecipient,
    SealedContentEntry,
)
from tgd_servicekit import evidence_signing as sig

WRONG_COURT = "wrong_court"
CANNOT_OPEN = "cannot_open"
CONTENT_MISMATCH = "content_mismatch"


class HandoverError(sig.EvidenceError):
    """An archive not to import; ``reason``: evidence reasons, wrong_court, cannot_open, content_mismatch."""


def associated_data(archive_id: str, jurisdiction: str, kid: str) -> bytes:
    return f"{FORMAT}\n{archive_id}\n{jurisdiction}\n{kid}".encode()


def courts_named(content: HandoverContent) -> set[str]:
    """Every court the content names (its own, each part's, each terminal's)."""
    courts = {content.jurisdiction} | {p.jurisdiction for ps in content.measures.values() for p in ps if p.jurisdiction}
    return courts | {str(d.get("jurisdiction")) for d in content.devices}


def build(
    content: HandoverContent,
    department: str,
    recipient_id: str,
    recipient_key: X25519PublicKey,
    key: sig.SigningKey,
    exported_by: ev.Exporter,
    now: datetime,
    archive_id: str | None = None,
) -> dict[str, Any]:
    """A signed archive of ``content``, sealed for ``recipient_key``; content naming
    another court is refused (:class:`HandoverError`), never exported."""
    if courts_named(content) != {content.jurisdiction}:
        raise HandoverError(CONTENT_MISMATCH, "the content names another court than the one handed over")
    archive_id = archive_id or uuid.uuid4().hex
    kid = sealing.key_id(recipient_key)
    plaintext = sig.canonical(content.to_wire())
    sealed = sealing.seal_bytes(plaintext, recipient_key, associated_data(archive_id, content.jurisdiction, kid))
    digest, size = sig.sha256(sealed)
    manifest = HandoverManifest(
        format=FORMAT,
        version=VERSION,
        archive_id=archive_id,
        jurisdiction=content.jurisdiction,
        department=department,
        created_at=now,
        exported_by=exported_by,
        recipient=HandoverRecipient(id=recipient_id, kid=kid),
        referral_ids=sorted(content.measures),
        counts=HandoverCounts(
            measures=len(content.measures),
            devices=len(content.devices),
            parts=sum(len(p) for p in content.measures.values()),
        ),
        content=SealedContentEntry(sha256=digest, size=size),
        key=sig.SigningKeyInfo(algorithm=ev.ALGORITHM, key_id=key.key_id, public_key=key.public_b64),
    ).to_wire()
    value = base64.b64encode(key.private.sign(sig.canonical(manifest))).decode()
    return {"format": FORMAT, "version": VERSION, "manifest": manifest, "sealed": sealed,
            "signature": {"algorithm": ev.ALGORITHM, "key_id": key.key_id, "value": value}}  # fmt: skip


def verify(archive: Any, trusted: sig.TrustedKeys, court: str) -> HandoverArchive:
    """The archive, typed, when it is signed by a trusted key, its sealed block is the one
    signed, and it is ``court``'s; otherwise :class:`HandoverError` naming the problem.
    Nothing is decrypted here."""
    if not isinstance(archive, dict) or archive.get("format") != FORMAT:
        raise HandoverError(sig.MALFORMED, f"not a {FORMAT} archive")
    if archive.get("version") != VERSION:
        raise HandoverError(
            sig.MALFORMED, f"unsupported version {archive.get('version')!r} (this reader knows {VERSION})"
        )
    manifest, sealed, signature = archive.get("manifest"), archive.get("sealed"), archive.get("signature")
    if not all(isinstance(x, dict) for x in (manifest, sealed, signature)):
        raise HandoverError(sig.MALFORMED, "manifest, sealed and signature are required objects")
    try:
        sig.verify_signature(manifest, signature, trusted)  # type: ignore[arg-type]
    except sig.EvidenceError as exc:
        raise HandoverError(exc.reason, exc.message) from None
    entry = manifest.get("content") if isinstance(manifest.get("content"), dict) else {}  # type: ignore[union-attr]
    try:
        digest, size = sig.sha256(sealed)
    except ValueError:
        raise HandoverError(sig.PART_TAMPERED, "the sealed block holds a value no export writes") from None
    if digest != entry.get("sha256") or size != entry.get("size"):
        raise HandoverError(sig.PART_TAMPERED, "the sealed content does not match its SHA-256 in the manifest")
    try:
        typed = HandoverArchive.consume(archive)
    except ValidationError as exc:
        raise HandoverError(sig.MALFORMED, f"signed but not a valid archive: {exc.error_count()} error(s)") from None
    if typed.manifest.jurisdiction != court:
        raise HandoverError(
            WRONG_COURT, f"this archive is court {typed.manifest.jurisdiction!r}'s, not {court!r}'s: nothing imported"
        )
    return typed


def open_content(archive: HandoverArchive, private: X25519PrivateKey) -> HandoverContent:
    """Decrypt (in memory) and check that the content is the manifest's: same court in
    every part, the same measures, counts that match."""
    m = archive.manifest
    aad = associated_data(m.archive_id, m.jurisdiction, m.recipient.kid)
    try:
        raw = sealing.open_bytes(archive.sealed.to_wire(), private, aad)
    except sealing.CannotOpen as exc:
        raise HandoverError(CANNOT_OPEN, f"not sealed for this operator's key ({exc})") from None
    try:
        content = HandoverContent.consume(json.loads(raw))
    except (ValueError, ValidationError):
        raise HandoverError(CONTENT_MISMATCH, "the sealed content is not a hand-over content") from None
    if courts_named(content) != {m.jurisdiction}:
        raise HandoverError(CONTENT_MISMATCH, f"the content names other courts than {m.jurisdiction!r}")
    counts = HandoverCounts(measures=len(content.measures), devices=len(content.devices),
                    parts=sum(len(p) for p in content.measures.values()))  # fmt: skip
    if sorted(content.measures) != m.referral_ids or counts != m.counts:
        raise HandoverError(CONTENT_MISMATCH, "the content's measures or counts are not the manifest's")
    return content


@dataclass(frozen=True)
class Summary:
    """What an import keeps, in short (ids and counts: no personal data)."""

    archive_id: str
    jurisdiction: str
    created_at: datetime
    key_id: str
    recipient: str
    measures: int
    devices: int
    parts: int


def summarise(archive: HandoverArchive) -> Summary:
    m = archive.manifest
    return Summary(m.archive_id, m.jurisdiction, m.created_at, m.key.key_id, m.recipient.id,
                   m.counts.measures, m.counts.devices, m.counts.parts)  # fmt: skip
