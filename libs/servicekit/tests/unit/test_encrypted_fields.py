"""EncryptedStringField on mongomock: nothing personal in the raw collection."""

import mongoengine
import pytest
from mongoengine import Document, ListField, StringField

from tgd_servicekit import crypto
from tgd_servicekit.encrypted_fields import EncryptedStringField
from tgd_servicekit.mongo import connect_database, disconnect_database


class Secretive(Document):
    name = EncryptedStringField(required=True)
    nicknames = ListField(EncryptedStringField())
    public = StringField()
    meta = {"db_alias": "crypto-test", "collection": "secretive"}  # noqa: RUF012


@pytest.fixture
def db():
    crypto.configure(crypto.development_keyring())
    connect_database("crypto-test", None, "crypto_test")
    yield mongoengine.get_db("crypto-test")
    disconnect_database("crypto-test")


def test_values_are_encrypted_in_the_collection_and_plain_when_loaded(db):
    doc = Secretive(name="EXEMPLE", nicknames=["Fictive", "Test"], public="tj-paris").save()
    raw = db.secretive.find_one({"_id": doc.pk})
    assert "EXEMPLE" not in str(raw)
    assert "Fictive" not in str(raw)
    assert raw["public"] == "tj-paris"
    loaded = Secretive.objects.get(pk=doc.pk)
    assert loaded.name == "EXEMPLE"
    assert loaded.nicknames == ["Fictive", "Test"]


def test_updates_are_encrypted_too(db):
    doc = Secretive(name="EXEMPLE").save()
    Secretive.objects(pk=doc.pk).update_one(set__name="AUTRE-EXEMPLE")
    assert "AUTRE-EXEMPLE" not in str(db.secretive.find_one({"_id": doc.pk}))
    assert Secretive.objects.get(pk=doc.pk).name == "AUTRE-EXEMPLE"


def test_querying_an_encrypted_field_is_refused(db):
    with pytest.raises(TypeError, match="blind index"):
        Secretive.objects(name="EXEMPLE").first()
