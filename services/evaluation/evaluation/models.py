"""The evaluation service's own database (mongoengine documents). No other service reads it."""

from mongoengine import DateTimeField, Document, EmbeddedDocumentField, IntField, ListField, StringField

from tgd_servicekit.encrypted_fields import EncryptedDictField
from tgd_servicekit.outbox import OutboxEntry

DB_ALIAS = "evaluation"


class MeasureDocument(Document):
    """La mesure of one referral. ``state`` is the domain's :class:`Measure` (JSON form);
    ``status``, ``attribution_id`` and ``ends_at`` are copied out of it for queries;
    ``reports`` keeps the association's full reports (personal data: never in events)."""

    referral_id = StringField(primary_key=True)
    jurisdiction = StringField(required=True)
    status = StringField(required=True)
    attribution_id = StringField()
    ends_at = DateTimeField()
    next_deadline_at = DateTimeField()
    #: the instance handling the deadline holds it until then (tgd_servicekit.claims); a save clears it
    deadline_claim_until = DateTimeField()
    purge_due_at = DateTimeField()  # personal data (reports, free text) purged then: evaluation.domain.retention
    state = EncryptedDictField(required=True)  # the measure: sealed leaf by leaf
    reports = ListField(EncryptedDictField())  # enquête sociale: personal, sealed leaf by leaf
    version = IntField(default=0)
    outbox = ListField(EmbeddedDocumentField(OutboxEntry))

    meta = {  # noqa: RUF012  (mongoengine reads this class attribute)
        "db_alias": DB_ALIAS,
        "collection": "measures",
        "indexes": ["jurisdiction", "attribution_id", "next_deadline_at", "outbox.published", "purge_due_at"],
    }
