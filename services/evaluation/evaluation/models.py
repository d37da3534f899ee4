"""The evaluation service's own database (mongoengine documents). No other service reads it."""

from mongoengine import DateTimeField, ListField, StringField

from tgd_servicekit.documents import StoredAggregate
from tgd_servicekit.encrypted_fields import EncryptedDictField

DB_ALIAS = "evaluation"


class MeasureDocument(StoredAggregate):
    """La mesure of one referral. ``state`` is the domain's :class:`Measure` (JSON form);
    ``status``, ``attribution_id`` and ``ends_at`` are copied out of it for queries;
    ``reports`` keeps the association's full reports (personal data: never in events); its
    deadline, version and outbox are :class:`StoredAggregate`'s."""

    referral_id = StringField(primary_key=True)
    jurisdiction = StringField(required=True)
    status = StringField(required=True)
    attribution_id = StringField()
    ends_at = DateTimeField()
    purge_due_at = DateTimeField()  # personal data (reports, free text) purged then: evaluation.domain.retention
    state = EncryptedDictField(required=True)  # the measure: sealed leaf by leaf
    reports = ListField(EncryptedDictField())  # enquête sociale: personal, sealed leaf by leaf

    meta = {  # noqa: RUF012  (mongoengine reads this class attribute)
        "db_alias": DB_ALIAS,
        "collection": "measures",
        "indexes": ["jurisdiction", "attribution_id", "next_deadline_at", "outbox.published", "purge_due_at"],
    }
