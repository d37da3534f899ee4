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
- ``tgd_servicekit.evidence_signing.verify`` refuses, with the reason, a changed part, a
  missing or added part, a changed manifest, a wrong signature and a key that is not trusted.

This module holds the archive's models only (the contract: its JSON Schema is the snapshot
of :class:`EvidenceArchive`); building, signing and verifying live in
``tgd_servicekit.evidence_signing``, keys in ``tgd_servicekit.evidence_keys``. The format
is documented in docs/evidence.md.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, StrictInt, StringConstraints

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


# -- what a part names ---------------------------------------------------------------
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
