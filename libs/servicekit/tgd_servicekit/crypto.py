"""Field-level encryption of personal data at rest, and keyed blind indexes.

- Each personal field is encrypted on its own with AES-256-GCM (authenticated); the
  field's path is the associated data, so a ciphertext cannot be moved to another field.
- Keys have ids; a stored value names the key that sealed it (``enc:v1:<key id>:<b64>``),
  so keys can be rotated: new writes use the active key, old values stay readable while
  their key is configured, and :func:`reseal` re-encrypts a value under the active key.
- An equality lookup (e.g. by phone number) uses a blind index: HMAC-SHA256 with its own
  key over the normalised value, never the value itself.

Keys come from configuration (``TGD_FIELD_KEYS="id1:<base64 32 bytes>,id2:..."``,
``TGD_ACTIVE_KEY_ID``, ``TGD_BLIND_INDEX_KEY``), never from the repository. Without them a
development key ring is used, and only while ``TGD_ENV`` is ``development`` (the local
default): anywhere else :func:`keyring_from_env` refuses to start.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc:v1:"
NONCE_BYTES = 12
DEVELOPMENT_KEY_ID = "dev-insecure"
# Derived from a public string on purpose: it protects nothing and is refused outside development.
_DEVELOPMENT_KEY = hashlib.sha256(b"tgd development field key - not secret").digest()
_DEVELOPMENT_INDEX_KEY = hashlib.sha256(b"tgd development blind-index key - not secret").digest()


class CryptoConfigError(RuntimeError):
    """The keys are missing, malformed, or a development key is used outside development."""


class DecryptionError(ValueError):
    """A stored value could not be authenticated (wrong key, wrong field, or tampered)."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    active_key_id: str
    blind_index_key: bytes

    def __post_init__(self) -> None:
        if self.active_key_id not in self.keys:
            raise CryptoConfigError(f"active key {self.active_key_id!r} is not among the configured keys")
        for key_id, key in self.keys.items():
            if len(key) != 32 or ":" in key_id:
                raise CryptoConfigError(f"key {key_id!r} must be 32 bytes and its id must not contain ':'")
        if len(self.blind_index_key) < 32:
            raise CryptoConfigError("the blind-index key must be at least 32 bytes")

    @property
    def is_development(self) -> bool:
        return DEVELOPMENT_KEY_ID in self.keys or self.blind_index_key == _DEVELOPMENT_INDEX_KEY


def development_keyring() -> KeyRing:
    return KeyRing({DEVELOPMENT_KEY_ID: _DEVELOPMENT_KEY}, DEVELOPMENT_KEY_ID, _DEVELOPMENT_INDEX_KEY)


def _b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise CryptoConfigError(f"{what} is not valid base64") from None


def keyring_from_env(environ: dict[str, str] | None = None) -> KeyRing:
    env = os.environ if environ is None else environ
    stage = env.get("TGD_ENV", "development")
    spec = env.get("TGD_FIELD_KEYS", "").strip()
    if not spec:
        ring = development_keyring()
    else:
        keys = {}
        for item in spec.split(","):
            key_id, _, encoded = item.strip().partition(":")
            if not key_id or not encoded:
                raise CryptoConfigError("TGD_FIELD_KEYS must look like 'id1:<base64>,id2:<base64>'")
            keys[key_id] = _b64(encoded, f"key {key_id!r}")
        active = env.get("TGD_ACTIVE_KEY_ID") or next(iter(keys))
        index_key = env.get("TGD_BLIND_INDEX_KEY")
        if not index_key:
            raise CryptoConfigError("TGD_BLIND_INDEX_KEY is required with TGD_FIELD_KEYS")
        ring = KeyRing(keys, active, _b64(index_key, "TGD_BLIND_INDEX_KEY"))
    if ring.is_development and stage != "development":
        raise CryptoConfigError(f"refusing to start: development encryption keys with TGD_ENV={stage!r}")
    return ring


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(ring: KeyRing, plaintext: str, context: str) -> str:
    """Encrypt ``plaintext`` for the field ``context`` with the active key."""
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(ring.keys[ring.active_key_id]).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}{ring.active_key_id}:{base64.b64encode(nonce + ciphertext).decode()}"


def key_id_of(token: str) -> str:
    return token[len(PREFIX) :].split(":", 1)[0]


def open_sealed(ring: KeyRing, token: str, context: str) -> str:
    """Decrypt a value sealed by :func:`seal` for the same field."""
    if not is_sealed(token):
        raise DecryptionError("not an encrypted value")
    key_id, _, encoded = token[len(PREFIX) :].partition(":")
    key = ring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"key {key_id!r} is not configured")
    raw = base64.b64decode(encoded)
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag:
        raise DecryptionError("authentication failed (wrong field, wrong key, or tampered)") from None


def reseal(ring: KeyRing, token: str, context: str) -> str:
    """The same value under the active key (rotation); unchanged if already so."""
    if key_id_of(token) == ring.active_key_id:
        return token
    return seal(ring, open_sealed(ring, token, context), context)


def seal_json(ring: KeyRing, value: object, context: str) -> str:
    """A JSON-shaped value sealed whole, as one AES-GCM blob (one document's personal part:
    ``context`` names the collection, the field and the document id)."""
    return seal(ring, json.dumps(value, separators=(",", ":"), ensure_ascii=False), context)


def open_json(ring: KeyRing, token: str, context: str) -> Any:
    """The value sealed by :func:`seal_json` for the same context."""
    return json.loads(open_sealed(ring, token, context))


def normalise(value: str) -> str:
    return "".join(value.split()).casefold()


def blind_index(ring: KeyRing, value: str, context: str) -> str:
    """A keyed, deterministic digest for equality lookups (spaces and case ignored)."""
    message = f"{context}\x00{normalise(value)}".encode()
    return hmac.new(ring.blind_index_key, message, hashlib.sha256).hexdigest()


_ring: KeyRing | None = None


def configure(ring: KeyRing | None = None) -> KeyRing:
    """Install the process's key ring (from the environment unless given)."""
    global _ring
    _ring = ring or keyring_from_env()
    return _ring


def current() -> KeyRing:
    return _ring or configure()
