"""The referral service's own database (mongoengine documents). No other service reads it."""

from mongoengine import (
    BooleanField,
    DateTimeField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentField,
    ListField,
    StringField,
)

from tgd_servicekit.documents import WithOutbox
from tgd_servicekit.encrypted_fields import EncryptedStringField

DB_ALIAS = "referral"


class ReferrerDocument(EmbeddedDocument):
    kind = StringField(required=True)
    organisation = StringField(required=True)
    reference = StringField()


class VictimIdentityDocument(EmbeddedDocument):
    """Identité de la personne à protéger: only the arrêté's identity fields, each
    encrypted at rest (identification of the person to protect)."""

    surname = EncryptedStringField(required=True)
    usage_name = EncryptedStringField()
    first_names = ListField(EncryptedStringField(), required=True)
    birth_date = EncryptedStringField()  # ISO date
    birth_place = EncryptedStringField()
    sex = EncryptedStringField()


class SafeContactDocument(EmbeddedDocument):
    """Contact sûr: her phone and the safe times, encrypted at rest."""

    phone = EncryptedStringField(required=True)
    safe_times = EncryptedStringField(required=True)
    message_allowed = BooleanField(required=True)


class ReferrerContactDocument(EmbeddedDocument):
    """Coordonnées du signalant, encrypted at rest (a professional's name and lines)."""

    name = EncryptedStringField(required=True)
    service = EncryptedStringField(required=True)
    phone = EncryptedStringField()
    email = EncryptedStringField()


class OrientationDocument(EmbeddedDocument):
    """Une orientation du signalement (kind and date: routing facts; who: a staff reference)."""

    orientation_id = StringField(required=True)  # from the caller's idempotency key: a retry records once
    kind = StringField(required=True)
    on = StringField(required=True)  # ISO date
    recorded_by = EncryptedStringField(required=True)
    recorded_as = StringField(required=True)
    recorded_at = DateTimeField(required=True)


class ReferralDocument(WithOutbox):
    """Signalement (its outbox is :class:`WithOutbox`'s)."""

    referral_id = StringField(primary_key=True)
    idempotency_key = StringField(required=True, unique=True)
    fingerprint = StringField(required=True)
    status = StringField(required=True)
    received_at = DateTimeField(required=True)
    jurisdiction = StringField(required=True)
    urgency = StringField(required=True)
    referrer = EmbeddedDocumentField(ReferrerDocument, required=True)
    victim = EmbeddedDocumentField(VictimIdentityDocument, required=True)
    facts = EncryptedStringField(required=True)  # faits signalés: may name people
    safe_contact = EmbeddedDocumentField(SafeContactDocument)
    referrer_contact = EmbeddedDocumentField(ReferrerContactDocument)
    orientations = ListField(EmbeddedDocumentField(OrientationDocument))
    # retention (referral.domain.retention): the measure's basis, learnt from the evaluation events
    attribution_id = StringField()
    basis_ended_at = DateTimeField()  # refused, withdrawn or expired
    purge_due_at = DateTimeField()  # None while an attribution lasts, and once purged
    anonymised_at = DateTimeField()  # identity, facts, reference and fingerprint purged then

    meta = {  # noqa: RUF012  (mongoengine reads this class attribute)
        "db_alias": DB_ALIAS,
        "collection": "referrals",
        "indexes": [
            ("jurisdiction", "-received_at"),
            ("jurisdiction", "urgency", "-received_at"),
            "outbox.published",
            "attribution_id",
            "purge_due_at",
        ],
    }


class FollowUpContactDocument(Document):
    """Un contact de suivi de l'association (date, nature, notes: personal, encrypted)."""

    contact_id = StringField(primary_key=True)  # from the caller's idempotency key: a retry records once
    referral_id = StringField(required=True)
    on = StringField(required=True)  # ISO date
    nature = StringField(required=True)
    by = EncryptedStringField(required=True)
    notes = EncryptedStringField()
    recorded_at = DateTimeField(required=True)

    meta = {  # noqa: RUF012  (mongoengine reads this class attribute)
        "db_alias": DB_ALIAS,
        "collection": "follow_up_contacts",
        "indexes": [("referral_id", "-on")],
    }
