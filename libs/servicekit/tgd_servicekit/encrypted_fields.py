"""mongoengine fields whose values are encrypted at rest (see :mod:`tgd_servicekit.crypto`).

``EncryptedStringField`` stores ``enc:v1:<key id>:<ciphertext>`` and gives the plaintext
back when a document is loaded. The associated data is ``<Document>.<field>``, so a value
copied into another field does not decrypt. Use ``ListField(EncryptedStringField())`` for
lists; dates are stored as ISO strings.
"""

from __future__ import annotations

from typing import Any

from mongoengine import StringField
from mongoengine.base import UPDATE_OPERATORS

from tgd_servicekit import crypto


class EncryptedStringField(StringField):
    def _context(self) -> str:
        owner = getattr(self, "owner_document", None)
        return f"{owner.__name__ if owner else '?'}.{self.name}"

    def to_mongo(self, value: Any) -> Any:
        if value is None or crypto.is_sealed(value):
            return value
        return crypto.seal(crypto.current(), str(value), self._context())

    def to_python(self, value: Any) -> Any:
        if crypto.is_sealed(value):
            return crypto.open_sealed(crypto.current(), value, self._context())
        return value

    def prepare_query_value(self, op: str, value: Any) -> Any:
        if op in UPDATE_OPERATORS:
            return self.to_mongo(value)
        raise TypeError(f"{self._context()} is encrypted: query it through a blind index field instead")
