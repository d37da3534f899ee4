"""The receiving operators a court may be handed over to (hand-over archives, see
:mod:`tgd_contracts.handover`), from configuration.

``TGD_HANDOVER_RECIPIENT_KEYS="<recipient id>:<base64url raw X25519 public key>,..."``:
the operators this platform may hand a court over to, configured by its operations
team. The parquet that exports a court names one of them; an archive can only be sealed
for a key listed here, so a stolen parquet token cannot send a court to a key of its
choosing. Empty (the default): no hand-over can be exported.

``tgd handover keygen`` prints a new pair: the receiving operator keeps the private half
(for ``tgd handover import --key-file``) and gives the public half to the exporter.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from tgd_contracts import sealing


class HandoverKeyError(RuntimeError):
    """A recipient key that is malformed."""


def parse_recipients(spec: str, what: str = "TGD_HANDOVER_RECIPIENT_KEYS") -> dict[str, X25519PublicKey]:
    recipients: dict[str, X25519PublicKey] = {}
    for item in (i.strip() for i in spec.split(",") if i.strip()):
        name, _, encoded = item.partition(":")
        if not name or not encoded:
            raise HandoverKeyError(f"{what} must look like '<recipient id>:<base64url public key>'")
        try:
            recipients[name] = sealing.load_public_key(encoded)
        except Exception:
            raise HandoverKeyError(f"{what}: recipient {name!r} is not a raw 32-byte X25519 key (base64url)") from None
    return recipients


def recipients_from_env(environ: dict[str, str] | None = None) -> dict[str, X25519PublicKey]:
    env = os.environ if environ is None else environ
    return parse_recipients(env.get("TGD_HANDOVER_RECIPIENT_KEYS", ""))


def load_private_key(text: str) -> X25519PrivateKey:
    try:
        return X25519PrivateKey.from_private_bytes(sealing.unb64(text.strip()))
    except Exception:
        raise HandoverKeyError("the private key is not a raw 32-byte X25519 key (base64url)") from None


def new_recipient_pair(recipient_id: str) -> tuple[str, str]:
    """(private key text, ``<id>:<public>`` for TGD_HANDOVER_RECIPIENT_KEYS)."""
    key = X25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return sealing.b64(raw), f"{recipient_id}:{sealing.public_key_text(key.public_key())}"
