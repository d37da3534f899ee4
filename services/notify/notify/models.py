"""The notify service's own database (mongoengine documents). No other service reads it."""

from mongoengine import BooleanField, DateTimeField, DictField, ListField, StringField

from tgd_servicekit.documents import StoredAggregate, WithOutbox
from tgd_servicekit.encrypted_fields import EncryptedDictField

DB_ALIAS = "notify"


class InformationDocument(StoredAggregate):
    """Information des forces for one attribution; ``state`` is the domain's Information
    (JSON form: notices and SIP registration, sealed leaf by leaf); ``notice_ids`` and
    ``status`` serve queries; its deadline, version and outbox are :class:`StoredAggregate`'s."""

    attribution_id = StringField(primary_key=True)
    status = StringField(required=True)
    notice_ids = ListField(StringField())
    created_at = DateTimeField(required=True)
    state = EncryptedDictField(required=True)

    meta = {  # noqa: RUF012
        "db_alias": DB_ALIAS,
        "collection": "informations",
        "indexes": ["notice_ids", "next_deadline_at", "outbox.published"],
    }


# A reminder holds ids and dates only (no personal data), so it is stored in clear.
class ReminderDocument(WithOutbox):
    reminder_id = StringField(primary_key=True)
    jurisdiction = StringField(required=True)
    audience = StringField(required=True)
    acknowledged = BooleanField(default=False)
    raised_at = DateTimeField(required=True)
    state = DictField(required=True)

    meta = {  # noqa: RUF012
        "db_alias": DB_ALIAS,
        "collection": "reminders",
        "indexes": [("jurisdiction", "audience", "acknowledged", "-raised_at"), "outbox.published"],
    }
