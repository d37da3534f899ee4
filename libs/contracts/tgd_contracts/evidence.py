"""Evidence archives (pièces à conviction numériques): the complete, signed history of
an alert or of a measure, exported for the competent prosecutor's office and importable
by another system, so that a change of operator never loses evidence.

An archive is ONE JSON document (``application/vnd.tgd.evidence+json``)::

    {"format": "tgd-evidence", "version": "1.0.0",
     "manifest": {... "parts": [{"name", "service", "sha256", "size"}], "key": {...}},
     "parts": {"<name>": {...EvidencePart...}},
     "signature": {"algorithm": "Ed25519", "key_id": "...", "value": "<base64>"}}

- each part is hashed with SHA-256 over its canonical JSON (:func:`canonical`: keys
  sorted, no spaces, UTF-8; RFC 8785 for the values we emit);
- the manifest (which lists every part with its hash and names the signing key, its id
  and public key) is signed with Ed25519 over its canonical JSON;
- :func:`verify` refuses, with the reason, a changed part, a missing or added part, a
  changed manifest, a wrong signature and a key that is not trusted.

Pure: no I/O, no environment; keys are passed in (see ``tgd_servicekit.evidence_keys``).
The format is documented in docs/evidence.md; its JSON Schema is the snapshot of
:class:`EvidenceArchive`.
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
from enum import StrEnum
from typing import Annotated, Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import Field, StrictInt, StringConstraints, ValidationError

from tgd_contracts.alert import Id
from tgd_contracts.base import Contract

FORMAT = "tgd-evidence"
VERSION = "1.0.0"
MEDIA_TYPE = "application/vnd.tgd.evidence+json"
ALGORITHM = "Ed25519"

Sha256 = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9a-f]{64}$")]
Base64 = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9+/]+={0,2}$", max_length=200)]
KeyId = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
PartName = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_-]{0,63}$")]


class SubjectKind(StrEnum):
    ALERT = "alert"
    MEASURE = "measure"  # la mesure: keyed by its referral id (one measure per signalement)


class EvidencePart(Contract):
    """One service's part of the evidence of an alert or a measure (its RPC answer):
    the records it holds about the subject, as stored (decrypted), and the events it
    emitted about it that are still retained, each with its time and trace context.

    ``records`` are the service's own record shapes (documented in docs/evidence.md):
    an archive keeps them whole rather than a summary, so that nothing is lost."""

    service: Literal["referral", "evaluation", "device", "alert", "notify"]
    subject_kind: SubjectKind
    subject_id: Id
    jurisdiction: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9-]{1,40}$")] | None = None
    trace_ids: list[Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9a-f]{32}$")]] = Field(
        default_factory=list, description="W3C trace ids of the work recorded here (one per alert)."
    )
    related_ids: dict[str, list[Id]] = Field(
        default_factory=dict, description="Ids of other objects of the same person (e.g. alert_ids), for reference."
    )
    records: dict[str, Any] = Field(description="Record name -> the record as the service stores it.")
    events: list[dict[str, Any]] = Field(
        default_factory=list, description="CloudEvents envelopes emitted about the subject and still retained."
    )
    collected_at: datetime


class PartEntry(Contract):
    name: PartName
    service: Literal["referral", "evaluation", "device", "alert", "notify"]
    sha256: Sha256
    size: StrictInt = Field(ge=0, description="Bytes of the part's canonical JSON.")


class SigningKeyInfo(Contract):
    algorithm: Literal["Ed25519"]
    key_id: KeyId
    public_key: Base64 = Field(description="Raw 32-byte Ed25519 public key, base64.")


class Exporter(Contract):
    client_id: Id
    role: Id
    request_id: Id | None = None


class Subject(Contract):
    kind: SubjectKind
    id: Id


class Purpose(StrEnum):
    EVIDENCE = "evidence"  # for the prosecutor's office (pièces d'une procédure)
    SUBJECT_ACCESS = "subject_access"  # droit d'accès of the person concerned


class EvidenceManifest(Contract):
    """What the signature covers: the subject, who exported it and when, and each part's hash."""

    format: Literal["tgd-evidence"]
    version: Literal["1.0.0"]
    archive_id: Id
    purpose: Purpose
    subject: Subject
    jurisdiction: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9-]{1,40}$")]
    created_at: datetime
    exported_by: Exporter
    trace_ids: list[str]
    related_ids: dict[str, list[Id]] = Field(
        default_factory=dict,
        description="Ids of the objects the parts are about (referral, attribution, device, alerts).",
    )
    parts: list[PartEntry] = Field(min_length=1)
    key: SigningKeyInfo


class Signature(Contract):
    algorithm: Literal["Ed25519"]
    key_id: KeyId
    value: Base64


class EvidenceArchive(Contract):
    """The whole archive, as exported and imported (its JSON Schema is the import contract)."""

    format: Literal["tgd-evidence"]
    version: Literal["1.0.0"]
    manifest: EvidenceManifest
    parts: dict[str, EvidencePart]
    signature: Signature


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


def part_name(part: EvidencePart) -> str:
    """A service's name, or ``alert-<alert id>`` for an alert (a measure has several)."""
    return f"alert-{part.subject_id}" if part.subject_kind is SubjectKind.ALERT else part.service


#: what a part's ``subject_id`` is, by service (each service keys its records by one id)
SUBJECT_ID_KIND = {
    "alert": "alert_ids",
    "evaluation": "referral_ids",  # the measure is keyed by its referral
    "referral": "referral_ids",
    "device": "attribution_ids",
    "notify": "attribution_ids",
}


def related_ids(parts: list[EvidencePart]) -> dict[str, list[str]]:
    """Every id the parts are about, by kind (``alert_ids``, ``attribution_ids``, ...)."""
    found: dict[str, set[str]] = {}
    for p in parts:
        found.setdefault(SUBJECT_ID_KIND[p.service], set()).add(p.subject_id)
        for kind, ids in p.related_ids.items():
            found.setdefault(kind, set()).update(ids)
    return {kind: sorted(ids) for kind, ids in sorted(found.items())}


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


class RelatedAlerts(Contract):
    """The ids of the alerts raised from a device (the alert service's answer)."""

    device_id: Id
    alert_ids: list[Id]


def trace_id_of(traceparent: Any) -> str | None:
    """``00-<trace id>-<span id>-<flags>`` -> the trace id (None when absent or malformed)."""
    if not isinstance(traceparent, str):
        return None
    pieces = traceparent.split("-")
    return pieces[1] if len(pieces) == 4 and len(pieces[1]) == 32 else None


def service_part(
    service: str,
    kind: SubjectKind,
    subject_id: str,
    jurisdiction: str | None,
    records: dict[str, Any],
    events: list[dict[str, Any]],
    now: datetime,
    traceparents: tuple[Any, ...] = (),
    related: dict[str, list[str]] | None = None,
) -> EvidencePart:
    """A service's part: its records, its retained envelopes (oldest first) and every
    trace id they name."""
    traces = [trace_id_of(t) for t in traceparents] + [trace_id_of(e.get("traceparent")) for e in events]
    return EvidencePart(
        service=service,  # type: ignore[arg-type]
        subject_kind=kind,
        subject_id=subject_id,
        jurisdiction=jurisdiction,
        trace_ids=sorted({t for t in traces if t}),
        related_ids=related or {},
        records=records,
        events=sorted(events, key=lambda e: str(e.get("time"))),
        collected_at=now,
    )
