"""The keys of evidence archives (see :mod:`tgd_servicekit.evidence_signing`), from configuration.

- ``TGD_EVIDENCE_SIGNING_KEY="<key id>:<base64 32-byte Ed25519 seed>"``: the gateway signs
  every export with it. Without it a development key is used, and only while ``TGD_ENV``
  is ``development`` (the local default): anywhere else :func:`signing_key_from_env` refuses.
- ``TGD_EVIDENCE_TRUSTED_KEYS="<key id>:<base64 32-byte public key>,..."``: the keys whose
  archives are accepted on import (another operator's, former keys after a rotation).
  The public half of the configured signing key is always trusted.

``tgd evidence keygen`` prints a new pair.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os

from tgd_servicekit.evidence_signing import SigningKey

DEVELOPMENT_KEY_ID = "dev-insecure"
# Derived from a public string on purpose: it proves nothing and is refused outside development.
_DEVELOPMENT_SEED = hashlib.sha256(b"tgd development evidence signing key - not secret").digest()


class EvidenceKeyError(RuntimeError):
    """The keys are missing, malformed, or the development key is used outside development."""


def development_signing_key() -> SigningKey:
    return SigningKey.from_seed(DEVELOPMENT_KEY_ID, _DEVELOPMENT_SEED)


def _pair(item: str, what: str) -> tuple[str, bytes]:
    key_id, _, encoded = item.strip().partition(":")
    if not key_id or not encoded:
        raise EvidenceKeyError(f"{what} must look like '<key id>:<base64>'")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceKeyError(f"{what}: key {key_id!r} is not valid base64") from None
    if len(raw) != 32:
        raise EvidenceKeyError(f"{what}: key {key_id!r} must be 32 bytes")
    return key_id, raw


def signing_key_from_env(environ: dict[str, str] | None = None) -> SigningKey:
    env = os.environ if environ is None else environ
    stage = env.get("TGD_ENV", "development")
    spec = env.get("TGD_EVIDENCE_SIGNING_KEY", "").strip()
    if not spec:
        if stage != "development":
            raise EvidenceKeyError(
                f"refusing the development evidence signing key with TGD_ENV={stage!r}: set TGD_EVIDENCE_SIGNING_KEY"
            )
        return development_signing_key()
    key_id, seed = _pair(spec, "TGD_EVIDENCE_SIGNING_KEY")
    if key_id == DEVELOPMENT_KEY_ID and stage != "development":
        raise EvidenceKeyError(f"refusing the development evidence key id with TGD_ENV={stage!r}")
    return SigningKey.from_seed(key_id, seed)


def parse_trusted(spec: str, what: str = "TGD_EVIDENCE_TRUSTED_KEYS") -> dict[str, bytes]:
    """``"id1:<base64 public key>,id2:..."`` -> key id -> raw public key."""
    return dict(_pair(item, what) for item in spec.split(",") if item.strip())


def trusted_keys_from_env(environ: dict[str, str] | None = None) -> dict[str, bytes]:
    """Key id -> raw public key: the configured trusted keys and our own signing key's.
    Outside development the development key is never trusted."""
    env = os.environ if environ is None else environ
    spec = env.get("TGD_EVIDENCE_TRUSTED_KEYS", "").strip()
    trusted = parse_trusted(spec)
    own = signing_key_from_env(env)
    trusted[own.key_id] = own.public_raw
    if env.get("TGD_ENV", "development") != "development":
        trusted.pop(DEVELOPMENT_KEY_ID, None)
    return trusted


def new_key_pair(key_id: str) -> tuple[str, str]:
    """(signing key spec, public key spec) for ``TGD_EVIDENCE_SIGNING_KEY`` / ``..._TRUSTED_KEYS``."""
    seed = os.urandom(32)
    key = SigningKey.from_seed(key_id, seed)
    return f"{key_id}:{base64.b64encode(seed).decode()}", f"{key_id}:{key.public_b64}"
