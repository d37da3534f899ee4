"""The fields a service's documents share with the servicekit machinery, declared once:
abstract mongoengine documents a service's document inherits (its own fields, collection
and indexes stay on it; nothing of what is stored changes: same field names, no ``_cls``).

- :class:`ClaimableDeadline`: a deadline a timer scans for (``next_deadline_at``) and the
  claim that keeps two instances from handling it together (:mod:`tgd_servicekit.claims`);
- :class:`WithOutbox`: the transactional outbox (:mod:`tgd_servicekit.outbox`);
- :class:`StoredAggregate`: an aggregate kept whole as one document, both of the above and
  the ``version`` its saves compare; the service adds its ``state`` (the domain object's JSON
  form) itself, since a sealed field's context names the document that declares it.

:func:`load_state` and :func:`stored_evidence` read such a document back.
"""

from __future__ import annotations

from typing import Any, TypeVar

from mongoengine import DateTimeField, Document, EmbeddedDocumentField, IntField, ListField
from pydantic import BaseModel

from tgd_servicekit.outbox import OutboxEntry

State = TypeVar("State", bound=BaseModel)


class ClaimableDeadline(Document):
    meta = {"abstract": True}  # noqa: RUF012  (mongoengine reads this class attribute)

    next_deadline_at = DateTimeField()
    #: the instance handling the deadline holds it until then (tgd_servicekit.claims); a save clears it
    deadline_claim_until = DateTimeField()


class WithOutbox(Document):
    meta = {"abstract": True}  # noqa: RUF012

    outbox = ListField(EmbeddedDocumentField(OutboxEntry))


class StoredAggregate(ClaimableDeadline, WithOutbox):
    meta = {"abstract": True}  # noqa: RUF012

    version = IntField(default=0)


def load_state(document: type[StoredAggregate], model: type[State], **key: Any) -> tuple[State, int] | None:
    """The aggregate under ``key`` and its version, or None."""
    doc = document.objects(**key).first()
    return (model.model_validate(doc.state), doc.version) if doc else None


def retained_envelopes(doc: WithOutbox) -> list[dict[str, Any]]:
    """The envelopes of the document's outgoing messages still retained (published or not)."""
    return [dict(entry.envelope) for entry in doc.outbox]


def stored_evidence(document: type[StoredAggregate], **key: Any) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The aggregate under ``key`` as stored (its state's JSON form) and its retained envelopes, or None."""
    doc = document.objects(**key).first()
    return (dict(doc.state), retained_envelopes(doc)) if doc else None
