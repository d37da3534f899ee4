"""The alert service's own database (mongoengine documents). No other service reads it.

- ``alerts``: one document per alert; the record is the domain object's JSON form,
  her personal part sealed as one blob and the rest plain (:mod:`alert.repository.record_layout`),
  changed by targeted updates that push its outgoing messages (outbox) in the same
  write, with a ``version`` for optimistic concurrency (the operator, partners and the
  deadline timer may act on one alert at the same time);
- ``devices``: the read model built from the device and notify events;
- ``inbox``: CloudEvents already handled (``source#id``), for idempotent handlers.
"""

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentField,
    IntField,
    ListField,
    StringField,
)

from tgd_servicekit.documents import ClaimableDeadline
from tgd_servicekit.encrypted_fields import EncryptedDictField, KeySealedDictField, SealedJsonField

DB_ALIAS = "alert"


class AlertOutboxEntry(EmbeddedDocument):
    """An envelope to publish: on ``tgd.partners`` with ``routing_key``, else on ``alert.events``."""

    event_id = StringField(required=True)
    envelope = SealedJsonField(required=True)  # a dispatch carries the position and dossier: one sealed blob
    routing_key = StringField()
    published = BooleanField(default=False)
    failed = BooleanField(default=False)
    attempts = IntField(default=0)
    last_error = StringField()
    created_at = DateTimeField(required=True)
    lease_until = DateTimeField()  # the instance publishing it holds it until then (tgd_servicekit.outbox)
    claimed_by = StringField()


class AlertDocument(ClaimableDeadline):
    alert_id = StringField(primary_key=True)
    device_id = StringField(required=True)
    state = StringField(required=True)
    open = BooleanField(required=True)
    raised_at = DateTimeField(required=True)
    #: next_deadline_at and its claim: ClaimableDeadline's
    #: next purge of positions or of the dossier copy (arrêté du 22 avril 2015; alert.retention)
    positions_purge_at = DateTimeField()
    #: end of the record's legal basis (attribution ended, or raised without one): it is
    #: anonymised ``ALERT_RECORD_RETENTION`` later; None while it lasts and once anonymised
    basis_ended_at = DateTimeField()
    press_ids = ListField(StringField())
    #: "<device id> <press id>" of the press that raised it, while it is open: unique, so two
    #: copies of one press arriving at once (a retry racing the first attempt, in one process
    #: or two) raise one alert, never two; absent once closed (a device may reuse an id later)
    raised_by = StringField()
    version = IntField(required=True)
    #: the alert record (§E.II.c) in the layout of alert.record_layout: her personal part
    #: sealed as one blob, the non-personal state, the open list's line and the journal's
    #: codes plain (read and written by alert.records, never through this class on the hot path)
    layout = IntField()
    sealed = StringField()
    plain = DictField()
    summary = DictField()
    codes = ListField(DictField())
    #: the earlier layout (``layout`` absent): the whole record sealed leaf by leaf; read,
    #: and converted by the record's next change or ``tgd alert migrate-records``
    record = EncryptedDictField()
    outbox = ListField(EmbeddedDocumentField(AlertOutboxEntry))

    meta = {  # noqa: RUF012  (mongoengine reads this class attribute)
        "db_alias": DB_ALIAS,
        "collection": "alerts",
        "indexes": [
            ("device_id", "open", "-raised_at"),  # a device's open alert (a press joins it)
            ("open", "raised_at"),  # the operator's open list, oldest first
            "raised_at",
            "next_deadline_at",
            "positions_purge_at",
            "basis_ended_at",
            "press_ids",
            {"fields": ["raised_by"], "unique": True, "sparse": True},
            "outbox.published",
        ],
    }


class DeviceDocument(Document):
    """What the alert service knows of a device (read model, from events)."""

    device_id = StringField(primary_key=True)
    facts = KeySealedDictField(required=True)  # the device read model, dossier included: a blob per fact
    #: the attribution the facts belong to (one at a time, see alert.attributions), its
    #: provisioning time, and the attributions ended on this device (their late events are ignored)
    attribution_id = StringField()
    provisioned_at = DateTimeField()
    ended = ListField(StringField())
    updated_at = DateTimeField()
    #: returned: the routing facts of the ended attribution are wiped then (at most 3 days after)
    wipe_due_at = DateTimeField()

    meta = {"db_alias": DB_ALIAS, "collection": "devices", "indexes": ["wipe_due_at"]}  # noqa: RUF012


class InboxDocument(Document):
    key = StringField(primary_key=True)
    handled_at = DateTimeField(required=True)

    meta = {  # noqa: RUF012
        "db_alias": DB_ALIAS,
        "collection": "inbox",
        # a redelivery comes within minutes; a week of ids is plenty
        "indexes": [{"fields": ["handled_at"], "expireAfterSeconds": 7 * 24 * 3600}],
    }
