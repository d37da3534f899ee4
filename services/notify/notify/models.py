"""The notify service's own database (mongoengine documents). No other service reads it."""

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocumentField,
    IntField,
    ListField,
    StringField,
)

from tgd_servicekit.encrypted_fields import EncryptedDictField
from tgd_servicekit.outbox import OutboxEntry

DB_ALIAS = "notify"


class InformationDocument(Document):
    """Information des forces for one attribution; ``state`` is the domain's Information
    (JSON form); ``notice_ids`` and ``status`` serve queries."""

    attribution_id = StringField(primary_key=True)
    status = StringField(required=True)
    notice_ids = ListField(StringField())
    created_at = DateTimeField(required=True)
    next_deadline_at = DateTimeField()
    #: the instance handling the deadline holds it until then (tgd_servicekit.claims); a save clears it
    deadline_claim_until = DateTimeField()
    state = EncryptedDictField(required=True)  # notices and SIP registration: sealed leaf by leaf
    version = IntField(default=0)
    outbox = ListField(EmbeddedDocumentField(OutboxEntry))

    meta = {  # noqa: RUF012
        "db_alias": DB_ALIAS,
        "collection": "informations",
        "indexes": ["notice_ids", "next_deadline_at", "outbox.published"],
    }


# A reminder holds ids and dates only (no personal data), so it is stored in clear.
class ReminderDocument(Document):
    reminder_id = StringField(primary_key=True)
    jurisdiction = StringField(required=True)
    audience = StringField(required=True)
    acknowledged = BooleanField(default=False)
    raised_at = DateTimeField(required=True)
    state = DictField(required=True)
    outbox = ListField(EmbeddedDocumentField(OutboxEntry))

    meta = {  # noqa: RUF012
        "db_alias": DB_ALIAS,
        "collection": "reminders",
        "indexes": [("jurisdiction", "audience", "acknowledged", "-raised_at"), "outbox.published"],
    }
