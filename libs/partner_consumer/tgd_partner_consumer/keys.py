"""The addressee's key pair: the private key stays with the consumer (a file readable by
its account only); the public key is registered by the platform at provisioning, and the
platform seals the dossier and position of each message for it (:mod:`tgd_contracts.sealing`).

    tgd-partner-consumer keygen partner.key     # writes the private key (0600), prints the public one
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from tgd_contracts.sealing import b64, key_id, public_key_text, unb64


def generate(path: Path) -> str:
    """Write a new private key to ``path`` (refusing to overwrite one); the public key."""
    key = X25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(b64(raw) + "\n")
    return public_key_text(key.public_key())


def load(path: Path) -> X25519PrivateKey:
    try:
        return X25519PrivateKey.from_private_bytes(unb64(path.read_text(encoding="ascii").strip()))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"private key {path}: {type(exc).__name__}") from None


def describe(key: X25519PrivateKey) -> str:
    """The public key and its fingerprint (what to give the platform), never the private key."""
    public = key.public_key()
    return f"public key {public_key_text(public)} (kid {key_id(public)})"
