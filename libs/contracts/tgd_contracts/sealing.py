"""Sealed personal fields (données chiffrées pour le seul destinataire): the dossier and
the position of a partner message, encrypted for the one addressee whose public key the
platform registered at provisioning, so that RabbitMQ's message store (and anyone who
reads a queue, a dead letter or a dump of it) holds no plaintext dossier.

Hybrid encryption, per message: an ephemeral X25519 key agreement with the addressee's
public key, HKDF-SHA256 (info ``tgd-sealed-v1``) to a 256-bit key, AES-256-GCM over the
JSON of the sealed fields; the associated data binds the ciphertext to the message
(CloudEvent type and id) and to the addressee (``<audience>.<territory>.<unit>``), so a
sealed block moved to another message or another addressee does not open. The sealed
fields are removed from ``data`` and ``data.sealed`` carries ``alg``, ``kid`` (the key's
fingerprint), ``epk``, ``nonce``, ``ciphertext`` (base64url, no padding).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Annotated, Any, Literal

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import Field, StringConstraints

from tgd_contracts.base import Contract

ALG = "X25519-HKDF-SHA256-A256GCM"
INFO = b"tgd-sealed-v1"
#: the fields sealed in each partner message (its personal data)
SEALED_FIELDS: dict[str, tuple[str, ...]] = {
    "partner_dispatch": ("dossier", "position", "located"),
    "partner_position": ("position", "located"),
    "attribution_notice": ("beneficiary", "author", "author_release"),
}
B64 = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9_-]+$", max_length=65_536)]


class Sealed(Contract):
    """The personal fields of this message, encrypted for its addressee only."""

    alg: Literal["X25519-HKDF-SHA256-A256GCM"]
    kid: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-f0-9]{16}$")] = Field(
        description="The addressee key's fingerprint (first 8 bytes of SHA-256 of the raw public key, hex)."
    )
    epk: B64 = Field(description="The sender's ephemeral X25519 public key (raw, base64url).")
    nonce: B64
    ciphertext: B64 = Field(description="AES-256-GCM of the JSON object of the sealed fields, with its tag.")


class CannotOpen(Exception):
    """Not sealed for this key, or altered: the message cannot be read."""


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_text(key: X25519PublicKey) -> str:
    return b64(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def load_public_key(text: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(unb64(text))


def key_id(key: X25519PublicKey) -> str:
    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def _key(shared: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=INFO).derive(shared)


def associated_data(event_type: str, event_id: str, addressee: str) -> bytes:
    return f"{event_type}\n{event_id}\n{addressee}".encode()


def seal(data: dict[str, Any], event_name: str, key: X25519PublicKey, aad: bytes) -> dict[str, Any]:
    """``data`` with its personal fields sealed for ``key`` (unchanged when it has none)."""
    fields = {f: data[f] for f in SEALED_FIELDS.get(event_name, ()) if data.get(f) is not None}
    if not fields:
        return data
    ephemeral = X25519PrivateKey.generate()
    nonce = os.urandom(12)
    plaintext = json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()
    ciphertext = AESGCM(_key(ephemeral.exchange(key))).encrypt(nonce, plaintext, aad)
    sealed = Sealed(
        alg=ALG, kid=key_id(key), epk=public_key_text(ephemeral.public_key()), nonce=b64(nonce),
        ciphertext=b64(ciphertext),
    )  # fmt: skip
    kept = {k: v for k, v in data.items() if k not in fields}
    return {**kept, "sealed": sealed.to_wire()}


def open_sealed(data: dict[str, Any], key: X25519PrivateKey, aad: bytes) -> dict[str, Any]:
    """``data`` with its sealed fields restored (unchanged when nothing is sealed)."""
    raw = data.get("sealed")
    if raw is None:
        return data
    try:
        sealed = Sealed.consume(raw)
        shared = key.exchange(load_public_key(sealed.epk))
        plaintext = AESGCM(_key(shared)).decrypt(unb64(sealed.nonce), unb64(sealed.ciphertext), aad)
        fields = json.loads(plaintext)
    except Exception:
        raise CannotOpen("sealed fields: wrong key, or altered") from None
    if not isinstance(fields, dict):
        raise CannotOpen("sealed fields: not an object")
    return {**{k: v for k, v in data.items() if k != "sealed"}, **fields}


def seal_bytes(plaintext: bytes, key: X25519PublicKey, aad: bytes) -> dict[str, str]:
    """Any bytes sealed for ``key`` (same scheme as :func:`seal`): ``alg``, ``kid``, ``epk``,
    ``nonce``, ``ciphertext`` (a hand-over archive's content, larger than a message)."""
    ephemeral = X25519PrivateKey.generate()
    nonce = os.urandom(12)
    ciphertext = AESGCM(_key(ephemeral.exchange(key))).encrypt(nonce, plaintext, aad)
    return {"alg": ALG, "kid": key_id(key), "epk": public_key_text(ephemeral.public_key()), "nonce": b64(nonce),
            "ciphertext": b64(ciphertext)}  # fmt: skip


def open_bytes(block: dict[str, Any], key: X25519PrivateKey, aad: bytes) -> bytes:
    """The bytes of a :func:`seal_bytes` block, or :class:`CannotOpen` (wrong key, altered)."""
    if block.get("alg") != ALG or block.get("kid") != key_id(key.public_key()):
        raise CannotOpen("sealed for another key")
    try:
        shared = key.exchange(load_public_key(str(block["epk"])))
        return AESGCM(_key(shared)).decrypt(unb64(str(block["nonce"])), unb64(str(block["ciphertext"])), aad)
    except Exception:
        raise CannotOpen("wrong key, or altered") from None
