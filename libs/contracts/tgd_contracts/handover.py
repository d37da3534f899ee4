"""Hand-over archives (reprise par un autre opérateur): every measure in progress of one
court, with its dossier, device and alerts, and the court's terminals, exported for the
teleassistance operator that takes the court over. Pure: keys are passed in.

An archive is ONE JSON document (``application/vnd.tgd.handover+json``)::

    {"format": "tgd-handover", "version": "1.0.0",
     "manifest": {... "jurisdiction", "recipient": {"id", "kid"}, "counts", "content": {"sha256", "size"}, "key"},
     "sealed": {"alg", "kid", "epk", "nonce", "ciphertext"},
     "signature": {"algorithm": "Ed25519", "key_id", "value"}}

- **sealed for the receiving operator**: the content (personal data of every woman of
  the court) is encrypted with the receiving operator's X25519 public key
  (:func:`tgd_contracts.sealing.seal_bytes`); the associated data binds it to this
  archive, this court and that key. Whoever carries the file (the parquet, a courier,
  a transfer service) cannot read it, and the exporting gateway keeps no copy;
- **signed like an evidence archive**: the manifest, which holds the SHA-256 of the
  sealed block, is signed with the exporting operator's Ed25519 evidence key
  (``tgd_servicekit.evidence_signing.verify_signature``), so the importer checks origin and
  integrity BEFORE decrypting anything;
- **one court**: ``verify`` refuses another court's archive, ``open_content`` content naming another.

This module holds the archive's models only; building, sealing, signing, verifying and
opening live in :mod:`tgd_servicekit.handover_signing`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StrictInt, StringConstraints

from tgd_contracts import evidence as ev
from tgd_contracts.alert import Id
from tgd_contracts.base import Contract

FORMAT = "tgd-handover"
VERSION = "1.0.0"
MEDIA_TYPE = "application/vnd.tgd.handover+json"
Court = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9-]{1,40}$")]
RecipientId = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9_.-]{1,64}$")]


class HandoverRequest(Contract):
    """Export a court for a hand-over: the court, and the receiving operator by its id
    among the recipients the exporting operator configured (TGD_HANDOVER_RECIPIENT_KEYS)."""

    jurisdiction: Court
    recipient: RecipientId


class HandoverContent(Contract):
    """What is sealed: each measure in progress (by referral id) as the services' evidence
    parts (referral, measure and reports, device assignment with the dossier, notices,
    alerts), and the court's terminals (stock)."""

    jurisdiction: Court
    measures: dict[Id, list[ev.EvidencePart]]
    devices: list[dict[str, Any]]


class HandoverRecipient(Contract):
    id: RecipientId
    kid: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-f0-9]{16}$")]


class HandoverCounts(Contract):
    measures: StrictInt = Field(ge=0)
    devices: StrictInt = Field(ge=0)
    parts: StrictInt = Field(ge=0)


class SealedContentEntry(Contract):
    sha256: ev.Sha256 = Field(description="SHA-256 of the sealed block's canonical JSON.")
    size: StrictInt = Field(ge=0)


class HandoverManifest(Contract):
    """What the signature covers: the court, who exported it, for whom, and the sealed block's hash."""

    format: Literal["tgd-handover"]
    version: Literal["1.0.0"]
    archive_id: Id
    jurisdiction: Court
    department: Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9AB]{2,3}$")]
    created_at: datetime
    exported_by: ev.Exporter
    recipient: HandoverRecipient
    referral_ids: list[Id] = Field(description="The measures handed over (ids only).")
    counts: HandoverCounts
    content: SealedContentEntry
    key: ev.SigningKeyInfo


class SealedBlock(Contract):
    alg: Literal["X25519-HKDF-SHA256-A256GCM"]
    kid: str
    epk: str
    nonce: str
    ciphertext: str


class HandoverArchive(Contract):
    format: Literal["tgd-handover"]
    version: Literal["1.0.0"]
    manifest: HandoverManifest
    sealed: SealedBlock
    signature: ev.Signature
