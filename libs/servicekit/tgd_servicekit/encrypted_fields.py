"""mongoengine fields whose values are encrypted at rest (see :mod:`tgd_servicekit.crypto`).

``EncryptedStringField`` stores ``enc:v1:<key id>:<ciphertext>`` and gives the plaintext
back when a document is loaded. The associated data is ``<Document>.<field>``, so a value
copied into another field does not decrypt. Use ``ListField(EncryptedStringField())`` for
lists; dates are stored as ISO strings.

``SealedJsonField`` seals a whole JSON value as ONE blob (one AES-GCM operation per write
and per read, instead of one per leaf); it still reads values written leaf by leaf by
:class:`EncryptedDictField` (same field context), so switching a field over needs no
migration before it is read.
"""

from __future__ import annotations

import json
from typing import Any

from mongoengine import DictField, StringField
from mongoengine.base import UPDATE_OPERATORS, BaseField

from tgd_servicekit import crypto


class _Sealed:
    """What every encrypted field shares: the associated data of its values
    (``<Document>.<field>``), and queries refused on them (an update's value is sealed)."""

    name: str
    refusal = "is encrypted: query a plain field instead"

    def _context(self) -> str:
        owner = getattr(self, "owner_document", None)
        return f"{owner.__name__ if owner else '?'}.{self.name}"

    def prepare_query_value(self, op: str, value: Any) -> Any:
        if op in UPDATE_OPERATORS:
            return self.to_mongo(value)  # the field class seals it
        raise TypeError(f"{self._context()} {self.refusal}")


class EncryptedStringField(_Sealed, StringField):
    refusal = "is encrypted: query it through a blind index field instead"

    def to_mongo(self, value: Any) -> Any:
        if value is None or crypto.is_sealed(value):
            return value
        return crypto.seal(crypto.current(), str(value), self._context())

    def to_python(self, value: Any) -> Any:
        if crypto.is_sealed(value):
            return crypto.open_sealed(crypto.current(), value, self._context())
        return value


class EncryptedDictField(_Sealed, DictField):
    """A JSON-shaped dict whose every leaf (string, number, boolean) is encrypted on its
    own, JSON-encoded so that its type comes back (context: the field and the leaf's path,
    list positions folded to ``[]``); keys, nulls and the structure stay plain. Suited to a
    domain object stored whole (a fiche navette, an alert record with its positions)."""

    def _walk(self, value: Any, path: str, leaf: Any) -> Any:
        if isinstance(value, dict):
            return {k: self._walk(v, f"{path}.{k}", leaf) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._walk(v, f"{path}[]", leaf) for v in value]
        if value is None:
            return None
        return leaf(value, path)

    def _seal_at(self, value: Any, path: str) -> Any:
        ring = crypto.current()

        def seal(leaf: Any, leaf_path: str) -> Any:
            return leaf if crypto.is_sealed(leaf) else crypto.seal(ring, json.dumps(leaf), leaf_path)

        return self._walk(value, path, seal)

    def _seal_all(self, value: Any) -> Any:
        return self._seal_at(value, self._context())

    def lookup_member(self, member_name: str) -> BaseField:
        """``set__field__key=value`` updates seal the value at the key's path too."""
        return _SealedMember(self, f"{self._context()}.{member_name}", db_field=member_name)

    def _open_all(self, value: Any) -> Any:
        ring = crypto.current()

        def open_(leaf: Any, path: str) -> Any:
            return json.loads(crypto.open_sealed(ring, leaf, path)) if crypto.is_sealed(leaf) else leaf

        return self._walk(value, self._context(), open_)

    # The value is JSON-shaped already (a domain object's JSON dump); DictField's own
    # conversion would call to_mongo on each item and lose the leaf paths.
    def to_mongo(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        return self._seal_all(value)

    def to_python(self, value: Any) -> Any:
        return self._open_all(value)


class _SealedMember(_Sealed, BaseField):
    """A key inside an :class:`EncryptedDictField`, for updates of one key (``set__f__k``)."""

    def __init__(self, parent: EncryptedDictField, path: str, **kwargs: Any):
        super().__init__(**kwargs)
        self._parent = parent
        self._path = path

    def lookup_member(self, member_name: str) -> BaseField:
        return _SealedMember(self._parent, f"{self._path}.{member_name}", db_field=member_name)

    def to_mongo(self, value: Any) -> Any:
        return self._parent._seal_at(value, self._path)

    def _context(self) -> str:
        return self._path


class SealedJsonField(_Sealed, StringField):
    """A JSON-shaped value stored as one sealed blob (``enc:v1:<key id>:<ciphertext>``);
    associated data ``<Document>.<field>``. A value stored leaf by leaf (the earlier
    :class:`EncryptedDictField` layout of the same field) is still read."""

    refusal = "is sealed: query a plain field instead"

    def validate(self, value: Any) -> None:
        if not isinstance(value, dict | list | str):
            self.error("a JSON object or list is expected")

    def to_mongo(self, value: Any) -> Any:
        if value is None or crypto.is_sealed(value):
            return value
        return crypto.seal_json(crypto.current(), value, self._context())

    def to_python(self, value: Any) -> Any:
        if crypto.is_sealed(value):
            return crypto.open_json(crypto.current(), value, self._context())
        if isinstance(value, dict):  # the earlier layout: sealed leaf by leaf
            legacy = EncryptedDictField()
            legacy.name, legacy.owner_document = self.name, getattr(self, "owner_document", None)
            return legacy.to_python(value)
        return value


class KeySealedDictField(EncryptedDictField):
    """A JSON-shaped dict whose every top-level value is sealed whole, as one blob (context:
    the field and the key): one AES-GCM operation per key instead of one per leaf, and
    ``set__field__key=value`` still updates one key atomically. Values sealed leaf by leaf
    (the :class:`EncryptedDictField` layout of the same field) are still read: a scalar
    sealed at the key's path opens alike, a dict or list of sealed leaves is walked."""

    def _seal_at(self, value: Any, path: str) -> Any:
        if path != self._context():  # one key (an update of ``set__field__key``)
            return None if value is None or crypto.is_sealed(value) else crypto.seal_json(crypto.current(), value, path)
        return {key: self._seal_at(item, f"{path}.{key}") for key, item in value.items()}

    def _open_all(self, value: Any) -> Any:
        ring = crypto.current()

        def open_leaf(leaf: Any, path: str) -> Any:
            return json.loads(crypto.open_sealed(ring, leaf, path)) if crypto.is_sealed(leaf) else leaf

        context = self._context()
        return {key: self._walk(item, f"{context}.{key}", open_leaf) for key, item in value.items()}
