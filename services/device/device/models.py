"""The device service's own database (mongoengine documents). No other service reads it."""

from mongoengine import BooleanField, DateTimeField, Document, StringField

from tgd_servicekit.documents import StoredAggregate
from tgd_servicekit.encrypted_fields import EncryptedDictField

DB_ALIAS = "device"


class DeviceDocument(Document):
    """Terminal d'alerte of a jurisdiction's stock (arrêté du 22 avril 2015 §E.II.a)."""

    device_id = StringField(primary_key=True)
    jurisdiction = StringField(required=True)
    terminal_number = StringField(required=True)
    brand = StringField(required=True)
    model = StringField(required=True)
    imei = StringField(required=True, unique=True)
    imsi = StringField(required=True)
    gps_chip_id = StringField(required=True)
    state = StringField(required=True)
    attribution_id = StringField()  # the current attribution, or the last one while to be collected
    registered_at = DateTimeField(required=True)
    collected_at = DateTimeField()  # the last physical return (restitution)
    reset_at = DateTimeField()  # the last reset before going back to stock
    out_of_service_reason = StringField()  # lost, broken (replaced), scrapped, returned_to_supplier (retired)
    out_of_service_at = DateTimeField()
    transferred_from = StringField()  # the last court it came from (transfert within the department)
    transferred_at = DateTimeField()

    meta = {  # noqa: RUF012
        "db_alias": DB_ALIAS,
        "collection": "devices",
        "indexes": [("jurisdiction", "state", "registered_at")],
    }


class AssignmentDocument(StoredAggregate):
    """The device side of one attribution; ``state`` is the domain's Assignment (JSON
    form, with the fiche navette until it is wiped, sealed leaf by leaf); the other fields
    serve queries; its deadline, version and outbox are :class:`StoredAggregate`'s."""

    attribution_id = StringField(primary_key=True)
    jurisdiction = StringField()
    status = StringField(required=True)
    device_id = StringField()
    wiped = BooleanField(default=False)
    created_at = DateTimeField(required=True)
    state = EncryptedDictField(required=True)

    meta = {  # noqa: RUF012
        "db_alias": DB_ALIAS,
        "collection": "assignments",
        "indexes": ["device_id", "next_deadline_at", ("jurisdiction", "status"), "outbox.published"],
    }
