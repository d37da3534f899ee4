"""Re-encrypting stored documents under the active key (key rotation).

Loading a document decrypts its fields with whichever configured key sealed them;
writing its ``to_mongo()`` form back seals every encrypted field with the active key.
Run it after adding a new key as active and before removing the old one.
"""

from __future__ import annotations

from mongoengine import Document

from tgd_servicekit import crypto
from tgd_servicekit.consumers import rpc


def stale_key_count(document_cls: type[Document]) -> int:
    """How many documents still hold a value sealed by a key other than the active one."""
    active = crypto.current().active_key_id
    collection = document_cls._get_collection()
    return sum(1 for raw in collection.find() if _has_stale(raw, active))


def _has_stale(value: object, active: str) -> bool:
    if isinstance(value, dict):
        return any(_has_stale(v, active) for v in value.values())
    if isinstance(value, list):
        return any(_has_stale(v, active) for v in value)
    return crypto.is_sealed(value) and crypto.key_id_of(value) != active  # type: ignore[arg-type]


def reseal_documents(document_cls: type[Document]) -> int:
    """Rewrite every document whose values are not all under the active key; returns the count."""
    active = crypto.current().active_key_id
    collection = document_cls._get_collection()
    rewritten = 0
    for raw in collection.find():
        if not _has_stale(raw, active):
            continue
        doc = document_cls._from_son(raw)
        fresh = doc.to_mongo().to_dict()
        collection.replace_one({"_id": raw["_id"]}, fresh)
        rewritten += 1
    return rewritten


class KeyRotation:
    """Mixin for a service class: ``rotate_field_keys()`` over RPC reseals the documents
    listed in ``ENCRYPTED_DOCUMENTS`` (``tgd keys rotate`` calls it on every service)."""

    ENCRYPTED_DOCUMENTS: tuple[type[Document], ...] = ()

    @rpc
    def rotate_field_keys(self) -> dict[str, int]:
        return {cls.__name__: reseal_documents(cls) for cls in self.ENCRYPTED_DOCUMENTS}
