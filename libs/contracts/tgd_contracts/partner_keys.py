"""The addressees' public keys (clés publiques des destinataires), registered at
provisioning (``tgd broker provision-partner … --public-key``): a JSON object
``{"<audience>.<territory>.<unit>": "<raw X25519 public key, base64url>"}`` that the
publishing services load from ``TGD_PARTNER_KEYS_FILE``. A message to an addressee with
a key has its personal fields sealed for that key (:mod:`tgd_contracts.sealing`).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from tgd_contracts.envelope import Envelope
from tgd_contracts.partners import addressee_of_key
from tgd_contracts.sealing import associated_data, key_id, load_public_key, seal


class BadKeysFile(ValueError):
    pass


@dataclass(frozen=True)
class PartnerKeys:
    keys: dict[str, X25519PublicKey] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None) -> PartnerKeys:
        """The keys of a file (none without a path); a bad file is a clear error."""
        if not path:
            return cls()
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise BadKeysFile("the partner keys file must hold a JSON object")
            return cls({str(prefix): load_public_key(str(text)) for prefix, text in raw.items()})
        except (OSError, ValueError) as exc:
            raise BadKeysFile(f"partner keys file {path}: {type(exc).__name__}: {exc}") from None

    def seal(self, envelope: Envelope, routing_key: str) -> Envelope:
        """The envelope as it must travel to the addressee of ``routing_key``: its
        personal fields sealed when the addressee has a key, else unchanged."""
        parts = addressee_of_key(routing_key)
        key = self.keys.get(".".join(parts[:3])) if parts else None
        if key is None:
            return envelope
        addressee = ".".join(parts[:3])  # type: ignore[index]
        aad = associated_data(envelope.type, envelope.id, addressee)
        return envelope.model_copy(update={"data": seal(envelope.data, envelope.event_name, key, aad)})


def register_key(path: str | Path, addressee: str, public_key: str) -> str:
    """Add or replace an addressee's public key in the keys file (atomically; a bad key
    changes nothing); the key's fingerprint (``kid``). The services read the file at start."""
    try:
        key = load_public_key(public_key)
    except ValueError as exc:
        raise BadKeysFile(f"not an X25519 public key (raw, base64url): {exc}") from None
    path = Path(path)
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if not isinstance(current, dict):
        raise BadKeysFile(f"partner keys file {path}: not a JSON object")
    current[addressee] = public_key
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(current, out, indent=1, sort_keys=True)
    os.replace(temporary, path)
    return key_id(key)
